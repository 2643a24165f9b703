package io.dormouse.sim.cluster;

import java.time.Duration;
import java.time.Instant;

/**
 * The sim's ground truth of one node Karpenter launched: when it was ready, when it was gone, and
 * its GPUs. What a node costs is its GPUs for this long, busy or idle.
 *
 * @param node the Node's (and its NodeClaim's) name
 * @param nodePool the Karpenter NodePool that launched it
 * @param tier the node's dormouse.io/tier label, or null
 * @param capacityType spot, on-demand or reserved
 * @param gpuResource e.g. nvidia.com/gpu
 * @param gpus the node's GPUs
 * @param readyAt when the Node became Ready
 * @param deletedAt when it was removed (consolidated or interrupted), or null while it lives
 */
public record NodeLifetime(
    String node,
    String nodePool,
    String tier,
    String capacityType,
    String gpuResource,
    int gpus,
    Instant readyAt,
    Instant deletedAt) {

  /** How long it has lived, up to {@code now} while it still does. */
  public Duration lifetime(Instant now) {
    return Duration.between(readyAt, deletedAt == null ? now : deletedAt);
  }

  /** GPU-hours paid for it, up to {@code now}. */
  public double gpuHours(Instant now) {
    return gpus * lifetime(now).toMillis() / 3_600_000.0;
  }
}
