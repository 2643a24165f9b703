package io.dormouse.operator.lifecycle;

import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.TierStatus;
import io.dormouse.api.v1alpha1.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns a finished {@link Draft} into the {@link Plan}: the new status and the next timer. */
final class StatusAssembly {

  static final int HISTORY_LIMIT = 20;

  private StatusAssembly() {}

  static Plan plan(Draft d) {
    InferenceEndpointStatus status = new InferenceEndpointStatus();
    status.setObservedGeneration(d.intent.generation());
    status.setPhase(d.phase);
    status.setReason(d.reason);
    status.setMessage(d.message);
    status.setPhaseTransitionTime((d.phaseSince == null ? d.now : d.phaseSince).toString());
    status.setActiveTier(d.activeTier);
    status.setReplicas(d.replicas.values().stream().mapToInt(Integer::intValue).sum());
    status.setReadyReplicas(d.intent.tiers().stream().mapToInt(d::ready).sum());
    boolean awake = d.phase == Phase.Waking || d.phase == Phase.Ready || d.phase == Phase.Degraded;
    status.setDesiredReplicas(awake ? d.awake : null);
    status.setLastActivityTime(d.lease == null ? null : d.lease.toString());
    status.setLastHibernationTime(d.hibernatedAt == null ? null : d.hibernatedAt.toString());
    List<TierStatus> tiers = new ArrayList<>();
    for (TierStatus tier : d.tiers.values()) {
      tier.setReplicas(d.replicas.get(tier.getName()));
      tiers.add(tier);
    }
    status.setTiers(tiers);
    status.setHistory(history(d));
    // Measured by the reconciler when a wake ends; kept until the next one.
    status.setLastWake(d.previous.getLastWake());
    status.setConditions(
        EndpointConditions.of(
            d.previous.getConditions(), status, d.intent, d.observed.tenancy(), d.scale, d.now));
    return new Plan(
        d.replicas,
        status,
        d.events,
        d.fallbacks,
        Optional.ofNullable(d.wakeCompleted),
        nextTimer(d));
  }

  /** The previous history and this decision's transitions, the latest {@link #HISTORY_LIMIT}. */
  private static List<Transition> history(Draft d) {
    List<Transition> history =
        new ArrayList<>(d.previous.getHistory() == null ? List.of() : d.previous.getHistory());
    history.addAll(d.transitions);
    return history.size() > HISTORY_LIMIT
        ? new ArrayList<>(history.subList(history.size() - HISTORY_LIMIT, history.size()))
        : history;
  }

  private static Optional<Duration> nextTimer(Draft d) {
    return d.deadlines.stream()
        .filter(t -> t.isAfter(d.now))
        .min(Instant::compareTo)
        .map(t -> Duration.between(d.now, t));
  }
}
