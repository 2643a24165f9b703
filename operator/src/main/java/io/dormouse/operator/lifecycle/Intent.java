package io.dormouse.operator.lifecycle;

import io.dormouse.operator.scaling.ScalingPolicy;
import java.time.Duration;
import java.util.List;

/**
 * What the endpoint's spec asks of the lifecycle, with presets resolved and durations parsed.
 *
 * @param generation the spec's metadata.generation; a new one clears tier back-offs
 * @param tiers GpuTier names in priority order
 * @param specError why the spec cannot be served at all (e.g. an unknown preset), or null
 * @param missingPreset the preset named in the spec that the catalog lacks, or null
 * @param scaling how many replicas run while awake: fixed ({@code replicas}) or on load
 */
public record Intent(
    long generation,
    List<String> tiers,
    int replicas,
    int gpusPerReplica,
    Duration idleTimeout,
    Duration tierStartTimeout,
    Duration tierRetryInterval,
    Duration drainDelay,
    boolean alwaysOn,
    String specError,
    String missingPreset,
    ScalingPolicy scaling) {

  /** How long a lower tier keeps serving after a higher one became ready: the gateway's switch. */
  public static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(30);

  public Intent {
    tiers = List.copyOf(tiers);
    scaling = scaling == null ? ScalingPolicy.fixed(replicas) : scaling;
  }

  /** The shorthand form: {@code replicas} while awake, all on one tier. */
  public Intent(
      long generation,
      List<String> tiers,
      int replicas,
      int gpusPerReplica,
      Duration idleTimeout,
      Duration tierStartTimeout,
      Duration tierRetryInterval,
      Duration drainDelay,
      boolean alwaysOn,
      String specError,
      String missingPreset) {
    this(
        generation,
        tiers,
        replicas,
        gpusPerReplica,
        idleTimeout,
        tierStartTimeout,
        tierRetryInterval,
        drainDelay,
        alwaysOn,
        specError,
        missingPreset,
        ScalingPolicy.fixed(replicas));
  }

  /**
   * Whether replicas a full tier cannot hold go to the next usable tier: in the autoscaling form.
   * The shorthand keeps today's rule, all replicas on one tier.
   */
  public boolean spillOver() {
    return !scaling.isFixed();
  }
}
