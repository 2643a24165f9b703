package io.dormouse.operator.lifecycle;

import java.time.Duration;
import java.util.List;

/**
 * What the endpoint's spec asks of the lifecycle, with presets resolved and durations parsed.
 *
 * @param generation the spec's metadata.generation; a new one clears tier back-offs
 * @param tiers GpuTier names in priority order
 * @param specError why the spec cannot be served at all (e.g. an unknown preset), or null
 * @param missingPreset the preset named in the spec that the catalog lacks, or null
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
    String missingPreset) {

  /** How long a lower tier keeps serving after a higher one became ready: the gateway's switch. */
  public static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(30);

  public Intent {
    tiers = List.copyOf(tiers);
  }

  public int gpusPerAwakeTier() {
    return replicas * gpusPerReplica;
  }
}
