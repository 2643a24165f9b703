package io.dormouse.operator.lifecycle;

import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the reconciler must make true: replicas per tier and the new status, plus what to tell the
 * journal and the metrics.
 *
 * @param replicas replicas of every tier named in the spec
 * @param recheckAfter when a timer (idle deadline, tier start timeout, drain, retry) next matters
 */
public record Plan(
    Map<String, Integer> replicas,
    InferenceEndpointStatus status,
    List<JournalEvent> events,
    List<Fallback> fallbacks,
    Optional<WakeCompleted> wakeCompleted,
    Optional<Duration> recheckAfter) {

  public Plan {
    replicas = Map.copyOf(replicas);
    events = List.copyOf(events);
    fallbacks = List.copyOf(fallbacks);
  }

  public int replicasOf(String tier) {
    return replicas.getOrDefault(tier, 0);
  }
}
