package io.dormouse.operator.scaling;

import java.time.Duration;

/**
 * How an endpoint scales on load.
 *
 * @param minReplicas the floor; 0 lets the endpoint hibernate, and it then runs at least 1 while
 *     awake
 * @param maxReplicas the ceiling
 * @param target requests in flight or queued per replica aimed at
 * @param window the span the load is averaged over
 * @param scaleDownDelay how long every recommendation must stay below the current count before
 *     replicas are removed
 */
public record ScalingPolicy(
    int minReplicas, int maxReplicas, int target, Duration window, Duration scaleDownDelay) {

  public ScalingPolicy {
    if (target < 1) {
      throw new IllegalArgumentException("target must be at least 1, not " + target);
    }
    if (minReplicas < 0 || maxReplicas < Math.max(1, minReplicas)) {
      throw new IllegalArgumentException("replicas between " + minReplicas + " and " + maxReplicas);
    }
  }

  /** A fixed count while awake (the {@code replicas} shorthand): the load is never looked at. */
  public static ScalingPolicy fixed(int replicas) {
    return new ScalingPolicy(0, replicas, 1, Duration.ZERO, Duration.ZERO);
  }

  public boolean isFixed() {
    return window.isZero() && minReplicas == 0 && target == 1 && scaleDownDelay.isZero();
  }

  /** The fewest replicas while awake. */
  public int awakeFloor() {
    return Math.max(1, minReplicas);
  }
}
