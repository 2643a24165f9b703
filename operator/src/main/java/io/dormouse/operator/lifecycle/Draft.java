package io.dormouse.operator.lifecycle;

import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.TierState;
import io.dormouse.api.v1alpha1.TierStatus;
import io.dormouse.api.v1alpha1.Transition;
import io.dormouse.operator.scaling.Autoscaler;
import io.dormouse.operator.scaling.Recommendation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan as one decision builds it: what it observed, and the tier states, replicas, phase,
 * journal entries and timers decided so far, with the steps that change them.
 */
final class Draft {

  final Observation observed;
  final Intent intent;
  final InferenceEndpointStatus previous;
  final Instant now;
  final Instant lease;
  final Phase previousPhase;
  final boolean specChanged;

  /** What the load asks for while awake, and why; {@link #awake} is its count. */
  final Recommendation scale;

  final int awake;

  final Map<String, TierStatus> tiers;
  final Map<String, Integer> replicas = new LinkedHashMap<>();
  final List<JournalEvent> events = new ArrayList<>();
  final List<Fallback> fallbacks = new ArrayList<>();
  final List<Transition> transitions = new ArrayList<>();
  final List<Instant> deadlines = new ArrayList<>();

  Phase phase;
  String reason;
  String message;
  Instant phaseSince;
  String activeTier;
  Instant hibernatedAt;
  WakeCompleted wakeCompleted;

  Draft(Observation observed, Instant now) {
    this.observed = observed;
    this.intent = observed.intent();
    this.previous =
        observed.previous() == null ? new InferenceEndpointStatus() : observed.previous();
    this.now = now;
    this.lease = observed.leaseRenewTime();
    this.previousPhase = previous.getPhase();
    this.specChanged =
        previous.getObservedGeneration() != null
            && previous.getObservedGeneration() != intent.generation();
    this.phase = previousPhase == null ? Phase.Hibernated : previousPhase;
    this.reason = previous.getReason();
    this.message = previous.getMessage();
    this.phaseSince = time(previous.getPhaseTransitionTime());
    this.activeTier = previous.getActiveTier();
    this.hibernatedAt = time(previous.getLastHibernationTime());
    // Waking, Ready and Degraded go on from the count asked for last; a wake takes the load's.
    Integer current =
        previousPhase == Phase.Waking
                || previousPhase == Phase.Ready
                || previousPhase == Phase.Degraded
            ? previous.getDesiredReplicas()
            : null;
    this.scale = Autoscaler.decide(intent.scaling(), current, observed.load(), now);
    this.awake = scale.replicas();
    scale.recheckAt().ifPresent(deadlines::add);
    this.tiers = TierStates.carriedOver(this);
    for (TierStatus tier : tiers.values()) {
      replicas.put(tier.getName(), 0);
      if (tier.getState() == TierState.Unavailable && tier.getUnavailableUntil() != null) {
        deadline(time(tier.getUnavailableUntil()));
      }
    }
  }

  int ready(String tier) {
    return observed.tier(tier).readyReplicas();
  }

  /**
   * Whether a tier being started has come up. A Deployment status from before the scale-up may
   * still count a pod of the last hibernation as ready, so it must have observed the new spec.
   */
  boolean cameUp(String tier) {
    TierObservation seen = observed.tier(tier);
    return seen.readyReplicas() > 0 && seen.statusCurrent();
  }

  boolean isActive(String tier) {
    return tier != null && tiers.containsKey(tier);
  }

  // --- phase and history ---

  /** Moves to {@code next}; a change of phase (or a new endpoint's first) enters the history. */
  void enter(Phase next, String why, String text) {
    if (next != phase || previousPhase == null) {
      record(previousPhase, next, activeTier, why, text);
      phaseSince = now;
    }
    phase = next;
    reason = why;
    message = text;
  }

  void record(Phase from, Phase to, String tier, String why, String text) {
    Transition t = new Transition();
    t.setTime(now.toString());
    t.setFrom(from);
    t.setTo(to);
    t.setTier(tier);
    t.setReason(why);
    t.setMessage(text);
    transitions.add(t);
  }

  void normal(String reason, String tier, String text) {
    events.add(JournalEvent.normal(reason, tier, text));
  }

  void warning(String reason, String tier, String text) {
    events.add(JournalEvent.warning(reason, tier, text));
  }

  void deadline(Instant at) {
    deadlines.add(at);
  }

  // --- replicas per tier ---

  /** A new attempt on the tier: {@code replicas}, its start timeout counting from now. */
  void start(String name) {
    TierStatus tier = tiers.get(name);
    tier.setAttemptStartedTime(now.toString());
    tier.setReason(null);
    tier.setMessage(null);
    tier.setDrainStartedTime(null);
    run(name, TierState.Starting);
  }

  /** The tier runs the awake count, or what its cap leaves room for when replicas spill over. */
  void run(String name, TierState state) {
    tiers.get(name).setState(state);
    replicas.put(name, intent.spillOver() ? Math.min(awake, room(name)) : awake);
  }

  /** Replicas of this endpoint the tier's cap leaves room for beside the other endpoints. */
  int room(String name) {
    TierCapacity capacity = observed.capacity().get(name);
    return capacity == null ? 0 : capacity.room(intent.gpusPerReplica());
  }

  void stop(String name) {
    TierStatus tier = tiers.get(name);
    replicas.put(name, 0);
    tier.setDrainStartedTime(null);
    if (tier.getState() != TierState.Unavailable) {
      tier.setState(TierState.Idle);
      tier.setAttemptStartedTime(null);
    }
  }

  void stopAll() {
    intent.tiers().forEach(this::stop);
    activeTier = null;
  }

  void stopAllBut(String kept) {
    intent.tiers().stream().filter(t -> !t.equals(kept)).forEach(this::stop);
  }

  /** The tier goes to 0 and is not used again for {@code tierRetryInterval}. */
  void backOff(String name, StartProblem problem) {
    stop(name);
    TierStatus tier = tiers.get(name);
    Instant until = now.plus(intent.tierRetryInterval());
    tier.setState(TierState.Unavailable);
    tier.setUnavailableUntil(until.toString());
    tier.setAttemptStartedTime(null);
    tier.setReason(problem.reason());
    tier.setMessage(problem.message());
    deadline(until);
  }

  Instant attemptStarted(String name) {
    Instant started = time(tiers.get(name).getAttemptStartedTime());
    return started == null ? now : started;
  }

  static Instant time(String text) {
    return text == null || text.isEmpty() ? null : Instant.parse(text);
  }
}
