package io.dormouse.bench.cluster;

import java.util.List;

/**
 * How close the admitted rate came to a project's cluster-wide limit with three gateway replicas.
 *
 * @param scenarios one per traffic shape
 */
public record ClusterLimitResult(int replicas, double limit, List<Scenario> scenarios) {

  /**
   * @param offered requests per second sent, in all
   * @param admitted requests per second answered 200 over the measured window
   * @param ratio admitted ÷ limit
   */
  public record Scenario(String name, double offered, double admitted, double ratio) {}
}
