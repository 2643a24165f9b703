package io.dormouse.sim.cluster;

/**
 * The simulated nodes of one GpuTier.
 *
 * @param nodes how many nodes the tier has; 0 = none (the tier can never schedule)
 * @param gpusPerNode the GPU count of each node
 */
public record NodePool(int nodes, int gpusPerNode) {

  public NodePool {
    if (nodes < 0 || gpusPerNode < 0) {
      throw new IllegalArgumentException("node and GPU counts must not be negative");
    }
  }

  public int gpus() {
    return nodes * gpusPerNode;
  }
}
