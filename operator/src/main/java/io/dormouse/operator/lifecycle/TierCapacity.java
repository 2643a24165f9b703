package io.dormouse.operator.lifecycle;

/**
 * An existing GpuTier's cap and how much of it other endpoints already ask for.
 *
 * @param maxGpus the cap, or null for none
 * @param gpusUsedByOthers GPUs that other endpoints' engine replicas on this tier ask for
 */
public record TierCapacity(String tier, Integer maxGpus, int gpusUsedByOthers) {

  /** Replicas of {@code gpusPerReplica} GPUs that fit beside the other endpoints' use. */
  int room(int gpusPerReplica) {
    return maxGpus == null
        ? Integer.MAX_VALUE
        : Math.max(0, (maxGpus - gpusUsedByOthers) / Math.max(1, gpusPerReplica));
  }

  /** Null when {@code gpus} more fit under the cap, else why not. */
  String whyNoRoomFor(int gpus) {
    if (maxGpus == null || gpusUsedByOthers + gpus <= maxGpus) {
      return null;
    }
    return "needs "
        + gpus
        + " GPUs but "
        + gpusUsedByOthers
        + " of its cap of "
        + maxGpus
        + " are in use by other endpoints";
  }
}
