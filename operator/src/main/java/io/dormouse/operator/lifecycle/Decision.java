package io.dormouse.operator.lifecycle;

import io.dormouse.api.duration.GoDuration;
import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.TierState;
import io.dormouse.api.v1alpha1.TierStatus;
import io.dormouse.api.v1alpha1.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** One run of the decision table; lives for a single {@link Lifecycle#decide} call. */
final class Decision {

  static final int HISTORY_LIMIT = 20;

  private final Observation observed;
  private final Intent intent;
  private final InferenceEndpointStatus previous;
  private final Instant now;
  private final Phase previousPhase;
  private final boolean specChanged;
  private final Instant lease;

  private final Map<String, TierStatus> tiers = new LinkedHashMap<>();
  private final Map<String, Integer> replicas = new LinkedHashMap<>();
  private final List<JournalEvent> events = new ArrayList<>();
  private final List<Fallback> fallbacks = new ArrayList<>();
  private final List<Transition> transitions = new ArrayList<>();
  private final List<Instant> deadlines = new ArrayList<>();

  private Phase phase;
  private String reason;
  private String message;
  private Instant phaseSince;
  private String activeTier;
  private Instant hibernatedAt;
  // When the Ready condition last turned True: the end of the wake, unmoved by Ready <-> Degraded.
  private final Instant servingSince;
  private WakeCompleted wakeCompleted;

  Decision(Observation observed, Instant now) {
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
    this.servingSince =
        previous.getConditions() == null
            ? null
            : previous.getConditions().stream()
                .filter(c -> EndpointConditions.READY.equals(c.getType()))
                .filter(c -> "True".equals(c.getStatus()))
                .map(c -> time(c.getLastTransitionTime()))
                .findFirst()
                .orElse(null);
    for (String name : intent.tiers()) {
      tiers.put(name, carriedOver(name));
      replicas.put(name, 0);
    }
  }

  /** The tier's previous state, with expired or obsolete back-offs lifted. */
  private TierStatus carriedOver(String name) {
    TierStatus before =
        previous.getTiers() == null
            ? null
            : previous.getTiers().stream()
                .filter(t -> name.equals(t.getName()))
                .findFirst()
                .orElse(null);
    TierStatus tier = copy(before, name);
    tier.setReadyReplicas(observed.tier(name).readyReplicas());
    if (!observed.capacity().containsKey(name)) {
      tier.setState(TierState.Unavailable);
      tier.setReason("TierNotFound");
      tier.setMessage("GpuTier \"" + name + "\" not found");
      tier.setUnavailableUntil(null);
      return tier;
    }
    if (tier.getState() == TierState.Unavailable) {
      Instant until = time(tier.getUnavailableUntil());
      boolean expired = until == null || !now.isBefore(until);
      if (specChanged || expired) {
        tier.setState(TierState.Idle);
        tier.setUnavailableUntil(null);
        tier.setReason(null);
        tier.setMessage(null);
      } else {
        deadlines.add(until);
      }
    }
    return tier;
  }

  Plan run() {
    if (intent.specError() != null) {
      stopAll();
      activeTier = null;
      if (phase != Phase.Failed || !"InvalidSpec".equals(reason)) {
        events.add(JournalEvent.warning("WakeFailed", null, intent.specError()));
      }
      enter(Phase.Failed, "InvalidSpec", intent.specError());
      return finish();
    }
    switch (previousPhase == null ? Phase.Hibernated : previousPhase) {
      case Hibernated -> hibernated();
      case Waking -> waking();
      case Ready, Degraded -> serving();
      case Hibernating -> hibernating();
      case Failed -> failed();
    }
    return finish();
  }

  // --- the rows of the decision table, by phase ---

  private void hibernated() {
    if (demand()) {
      wake();
      return;
    }
    stopAll();
    activeTier = null;
    if (previousPhase == null) {
      enter(Phase.Hibernated, "Created", "asleep until the first request");
      events.add(JournalEvent.normal("Created", null, "asleep until the first request"));
    } else {
      enter(Phase.Hibernated, reason, message);
    }
  }

  private void waking() {
    String tier = activeTier;
    if (tier == null || !tiers.containsKey(tier)) {
      wake();
      return;
    }
    TierObservation seen = observed.tier(tier);
    StartProblem problem = tierGone(tier);
    if (problem == null && seen.readyReplicas() > 0) {
      becomeReady(tier);
      return;
    }
    if (problem == null) {
      problem = startProblem(tier);
    }
    if (problem != null) {
      fallBackFrom(tier, problem);
      return;
    }
    stopAllBut(tier);
    run(tier, TierState.Starting);
    deadlines.add(attemptStarted(tier).plus(intent.tierStartTimeout()));
  }

  private void serving() {
    if (idle()) {
      hibernate();
      return;
    }
    String tier = activeTier;
    if (tier == null || !tiers.containsKey(tier) || tierGone(tier) != null) {
      wake();
      return;
    }
    String retrying = retryInProgressAbove(tier);
    if (retrying != null) {
      if (observed.tier(retrying).readyReplicas() > 0) {
        moveBack(retrying, tier);
        tier = retrying;
      } else {
        StartProblem problem = startProblem(retrying);
        if (problem != null) {
          backOff(retrying, problem);
          fallbacks.add(new Fallback(retrying, tier, problem.reason()));
          events.add(
              JournalEvent.warning(
                  "TierFallback",
                  retrying,
                  "retry of tier "
                      + retrying
                      + " failed: "
                      + problem.message()
                      + "; staying on tier "
                      + tier));
          retrying = null;
        } else {
          run(retrying, TierState.Starting);
        }
      }
    }
    drainLowerTiers(tier);
    if (observed.tier(tier).readyReplicas() == 0) {
      lost(tier);
      return;
    }
    run(tier, TierState.Ready);
    if (retrying == null) {
      retryHigherThan(tier);
    }
    judgeReadiness(tier);
    deadlines.add(idleReference().plus(intent.idleTimeout()));
  }

  private void hibernating() {
    if (demand()) {
      wake();
      return;
    }
    stopAll();
    activeTier = null;
    int pods = intent.tiers().stream().mapToInt(t -> observed.tier(t).pods()).sum();
    if (pods == 0) {
      enter(Phase.Hibernated, "Idle", "every engine pod is gone");
      events.add(JournalEvent.normal("Hibernated", null, "every engine pod is gone"));
    }
  }

  private void failed() {
    Instant failedAt = phaseSince;
    boolean demandSinceFailure =
        intent.alwaysOn() || (lease != null && (failedAt == null || lease.isAfter(failedAt)));
    String usable = firstUsable(null);
    if (usable != null && demandSinceFailure && demand()) {
      wake();
      return;
    }
    stopAll();
    activeTier = null;
    if (usable != null) {
      // Back to sleep: the gateway then holds the next request instead of failing it, and wakes us.
      hibernatedAt = now;
      String why = "tier " + usable + " is usable again; the next request wakes the endpoint";
      enter(Phase.Hibernated, specChanged ? "SpecChanged" : "BackOffExpired", why);
      events.add(JournalEvent.normal("Hibernated", null, why));
      return;
    }
    // The message of the failure stays until the spec changes: rewriting it would be a write a
    // loop.
    enter(
        Phase.Failed,
        reason,
        specChanged || message == null ? "no usable tier: " + tierSummary() : message);
  }

  // --- steps shared by the rows ---

  private void wake() {
    String tier = firstUsable(null);
    if (tier == null) {
      failAll("NoUsableTier", "no usable tier: " + tierSummary());
      return;
    }
    stopAllBut(tier);
    start(tier);
    activeTier = tier;
    String why = "waking " + intent.replicas() + " replica(s) on tier " + tier;
    enter(Phase.Waking, intent.alwaysOn() ? "AlwaysOn" : "Demand", why);
    events.add(JournalEvent.normal("Waking", tier, why));
    deadlines.add(now.plus(intent.tierStartTimeout()));
  }

  private void becomeReady(String tier) {
    stopAllBut(tier);
    run(tier, TierState.Ready);
    Instant wakeStart = phaseSince != null ? phaseSince : attemptStarted(tier);
    Duration took = Duration.between(wakeStart, now);
    wakeCompleted = new WakeCompleted(tier, took);
    // The status says what the next decisions say too, so that it is written once per wake.
    String serving = servingMessage(observed.tier(tier).readyReplicas(), tier);
    enter(Phase.Ready, "ReplicaReady", serving);
    events.add(
        JournalEvent.normal(
            "Ready", tier, serving + "; woke in " + GoDuration.format(took.withNanos(0))));
    deadlines.add(idleReference().plus(intent.idleTimeout()));
  }

  private void fallBackFrom(String tier, StartProblem problem) {
    backOff(tier, problem);
    String next = firstUsable(null);
    if (next == null) {
      fallbacks.add(new Fallback(tier, Fallback.NONE, problem.reason()));
      failAll(
          "AllTiersFailed",
          "tier " + tier + ": " + problem.message() + "; no usable tier: " + tierSummary());
      return;
    }
    stopAllBut(next);
    start(next);
    activeTier = next;
    fallbacks.add(new Fallback(tier, next, problem.reason()));
    String why = "tier " + tier + ": " + problem.message() + "; waking on tier " + next;
    events.add(JournalEvent.warning("TierFallback", next, why));
    record(Phase.Waking, Phase.Waking, next, "TierFallback", why);
    reason = "TierFallback";
    message = why;
    deadlines.add(now.plus(intent.tierStartTimeout()));
  }

  private void failAll(String why, String text) {
    stopAll();
    activeTier = null;
    enter(Phase.Failed, why, text);
    events.add(JournalEvent.warning("WakeFailed", null, text));
  }

  private void hibernate() {
    stopAll();
    activeTier = null;
    hibernatedAt = now;
    String why =
        "no activity since "
            + (lease == null ? "the wake" : lease.toString())
            + " (idleTimeout "
            + GoDuration.format(intent.idleTimeout())
            + ")";
    enter(Phase.Hibernating, "Idle", why);
    events.add(JournalEvent.normal("Hibernating", null, why));
  }

  private void lost(String tier) {
    stopAllBut(tier);
    start(tier);
    String why = "tier " + tier + " lost every ready replica; waking it again";
    enter(Phase.Waking, "ReplicaUnavailable", why);
    events.add(JournalEvent.warning("ReplicaUnavailable", tier, why));
    deadlines.add(now.plus(intent.tierStartTimeout()));
  }

  private void moveBack(String higher, String lower) {
    run(higher, TierState.Ready);
    TierStatus draining = tiers.get(lower);
    draining.setState(TierState.Draining);
    draining.setDrainStartedTime(now.toString());
    activeTier = higher;
    String why =
        "tier "
            + higher
            + " is ready; traffic moves back from tier "
            + lower
            + ", which scales to 0 after "
            + GoDuration.format(intent.drainDelay());
    events.add(JournalEvent.normal("TierMovedBack", higher, why));
    record(phase, phase, higher, "TierMovedBack", why);
  }

  private void drainLowerTiers(String active) {
    for (TierStatus tier : tiers.values()) {
      if (tier.getName().equals(active) || tier.getState() != TierState.Draining) {
        continue;
      }
      Instant since = time(tier.getDrainStartedTime());
      Instant end = (since == null ? now : since).plus(intent.drainDelay());
      if (now.isBefore(end)) {
        replicas.put(tier.getName(), intent.replicas());
        deadlines.add(end);
      } else {
        stop(tier.getName());
      }
    }
  }

  private void retryHigherThan(String active) {
    for (String higher : intent.tiers()) {
      if (higher.equals(active)) {
        return;
      }
      if (whyUnusable(higher) != null) {
        continue;
      }
      TierStatus tier = tiers.get(higher);
      Instant last = time(tier.getLastRetryTime());
      if (last == null) {
        last = attemptStarted(active);
      }
      Instant due = last.plus(intent.tierRetryInterval());
      if (now.isBefore(due)) {
        deadlines.add(due);
        continue;
      }
      start(higher);
      tier.setLastRetryTime(now.toString());
      events.add(
          JournalEvent.normal(
              "TierRetry",
              higher,
              "serving on tier " + active + "; trying to move back up to tier " + higher));
      deadlines.add(now.plus(intent.tierStartTimeout()));
      return;
    }
  }

  private void judgeReadiness(String active) {
    int ready =
        replicas.entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .mapToInt(e -> observed.tier(e.getKey()).readyReplicas())
            .sum();
    int before = previous.getReadyReplicas() == null ? 0 : previous.getReadyReplicas();
    String serving = servingMessage(ready, active);
    if (ready >= intent.replicas()) {
      if (phase == Phase.Degraded) {
        events.add(JournalEvent.normal("Ready", active, "all replicas ready again: " + serving));
      }
      enter(Phase.Ready, phase == Phase.Degraded ? "ReplicasReady" : reason, serving);
    } else if (ready < before) {
      events.add(JournalEvent.warning("ReplicaUnavailable", active, serving));
      enter(Phase.Degraded, "ReplicaUnavailable", serving);
    } else {
      message = serving;
    }
  }

  private String servingMessage(int ready, String tier) {
    return ready + "/" + intent.replicas() + " replica(s) ready on tier " + tier;
  }

  // --- tiers ---

  private String retryInProgressAbove(String active) {
    for (String name : intent.tiers()) {
      if (name.equals(active)) {
        return null;
      }
      if (tiers.get(name).getState() == TierState.Starting) {
        return name;
      }
    }
    return null;
  }

  /** The first tier in priority order that can take the endpoint now, or null. */
  private String firstUsable(String excluded) {
    return intent.tiers().stream()
        .filter(t -> !t.equals(excluded))
        .filter(t -> whyUnusable(t) == null)
        .findFirst()
        .orElse(null);
  }

  private String whyUnusable(String name) {
    TierCapacity capacity = observed.capacity().get(name);
    if (capacity == null) {
      return "GpuTier \"" + name + "\" not found";
    }
    TierStatus tier = tiers.get(name);
    if (tier.getState() == TierState.Unavailable) {
      return "backed off until " + tier.getUnavailableUntil() + " (" + tier.getMessage() + ")";
    }
    if (tier.getState() != TierState.Idle && replicas.getOrDefault(name, 0) > 0) {
      return null; // already ours: its GPUs are counted
    }
    return capacity.whyNoRoomFor(intent.gpusPerAwakeTier());
  }

  private String tierSummary() {
    return intent.tiers().stream()
        .map(
            t -> {
              String why = whyUnusable(t);
              return t + ": " + (why == null ? "usable" : why);
            })
        .collect(Collectors.joining("; "));
  }

  private StartProblem tierGone(String name) {
    return observed.capacity().containsKey(name)
        ? null
        : new StartProblem("TierNotFound", "GpuTier \"" + name + "\" not found");
  }

  /** A crash loop, a failing image pull, or pods unschedulable for longer than allowed. */
  private StartProblem startProblem(String name) {
    TierObservation seen = observed.tier(name);
    if (seen.problem() != null) {
      return seen.problem();
    }
    if (seen.unschedulableSince() == null) {
      return null;
    }
    Instant started = attemptStarted(name);
    Instant since =
        seen.unschedulableSince().isAfter(started) ? seen.unschedulableSince() : started;
    Instant giveUp = since.plus(intent.tierStartTimeout());
    if (now.isBefore(giveUp)) {
      deadlines.add(giveUp);
      return null;
    }
    return new StartProblem(
        "Unschedulable",
        "pods unschedulable for "
            + GoDuration.format(Duration.between(since, now).withNanos(0))
            + " (tierStartTimeout "
            + GoDuration.format(intent.tierStartTimeout())
            + ")");
  }

  private Instant attemptStarted(String name) {
    Instant started = time(tiers.get(name).getAttemptStartedTime());
    return started == null ? now : started;
  }

  private void start(String name) {
    TierStatus tier = tiers.get(name);
    tier.setAttemptStartedTime(now.toString());
    tier.setReason(null);
    tier.setMessage(null);
    tier.setDrainStartedTime(null);
    run(name, TierState.Starting);
  }

  private void run(String name, TierState state) {
    TierStatus tier = tiers.get(name);
    tier.setState(state);
    replicas.put(name, intent.replicas());
  }

  private void stop(String name) {
    TierStatus tier = tiers.get(name);
    replicas.put(name, 0);
    tier.setDrainStartedTime(null);
    if (tier.getState() != TierState.Unavailable) {
      tier.setState(TierState.Idle);
      tier.setAttemptStartedTime(null);
    }
  }

  private void stopAll() {
    intent.tiers().forEach(this::stop);
  }

  private void stopAllBut(String kept) {
    intent.tiers().stream().filter(t -> !t.equals(kept)).forEach(this::stop);
  }

  private void backOff(String name, StartProblem problem) {
    stop(name);
    TierStatus tier = tiers.get(name);
    Instant until = now.plus(intent.tierRetryInterval());
    tier.setState(TierState.Unavailable);
    tier.setUnavailableUntil(until.toString());
    tier.setAttemptStartedTime(null);
    tier.setReason(problem.reason());
    tier.setMessage(problem.message());
    deadlines.add(until);
  }

  // --- demand and idleness ---

  /** alwaysOn, or a gateway saw a request after the last decision to hibernate. */
  private boolean demand() {
    return intent.alwaysOn()
        || (lease != null && (hibernatedAt == null || lease.isAfter(hibernatedAt)));
  }

  private boolean idle() {
    if (intent.alwaysOn()) {
      return false;
    }
    return !now.isBefore(idleReference().plus(intent.idleTimeout()));
  }

  /** The latest request, but never earlier than the end of the wake: waking time is not idle. */
  private Instant idleReference() {
    Instant awake = servingSince != null ? servingSince : phaseSince != null ? phaseSince : now;
    if (lease == null) {
      return awake;
    }
    return lease.isAfter(awake) ? lease : awake;
  }

  // --- status ---

  private void enter(Phase next, String why, String text) {
    if (next != phase || previousPhase == null) {
      record(previousPhase, next, activeTier, why, text);
      phaseSince = now;
    }
    phase = next;
    reason = why;
    message = text;
  }

  private void record(Phase from, Phase to, String tier, String why, String text) {
    Transition t = new Transition();
    t.setTime(now.toString());
    t.setFrom(from);
    t.setTo(to);
    t.setTier(tier);
    t.setReason(why);
    t.setMessage(text);
    transitions.add(t);
  }

  private Plan finish() {
    InferenceEndpointStatus status = new InferenceEndpointStatus();
    status.setObservedGeneration(intent.generation());
    status.setPhase(phase);
    status.setReason(reason);
    status.setMessage(message);
    status.setPhaseTransitionTime(phaseSince == null ? now.toString() : phaseSince.toString());
    status.setActiveTier(activeTier);
    status.setReplicas(replicas.values().stream().mapToInt(Integer::intValue).sum());
    status.setReadyReplicas(
        intent.tiers().stream().mapToInt(t -> observed.tier(t).readyReplicas()).sum());
    status.setLastActivityTime(lease == null ? null : lease.toString());
    status.setLastHibernationTime(hibernatedAt == null ? null : hibernatedAt.toString());
    List<TierStatus> tierList = new ArrayList<>();
    for (TierStatus tier : tiers.values()) {
      tier.setReplicas(replicas.get(tier.getName()));
      tierList.add(tier);
    }
    status.setTiers(tierList);
    List<Transition> history =
        new ArrayList<>(previous.getHistory() == null ? List.of() : previous.getHistory());
    history.addAll(transitions);
    if (history.size() > HISTORY_LIMIT) {
      history = new ArrayList<>(history.subList(history.size() - HISTORY_LIMIT, history.size()));
    }
    status.setHistory(history);
    status.setConditions(EndpointConditions.of(previous.getConditions(), status, intent, now));
    Optional<Duration> recheck =
        deadlines.stream()
            .filter(d -> d.isAfter(now))
            .min(Instant::compareTo)
            .map(d -> Duration.between(now, d));
    return new Plan(
        replicas, status, events, fallbacks, Optional.ofNullable(wakeCompleted), recheck);
  }

  private static TierStatus copy(TierStatus from, String name) {
    TierStatus to = new TierStatus();
    to.setName(name);
    to.setState(TierState.Idle);
    if (from != null) {
      to.setState(from.getState() == null ? TierState.Idle : from.getState());
      to.setAttemptStartedTime(from.getAttemptStartedTime());
      to.setLastRetryTime(from.getLastRetryTime());
      to.setDrainStartedTime(from.getDrainStartedTime());
      to.setUnavailableUntil(from.getUnavailableUntil());
      to.setReason(from.getReason());
      to.setMessage(from.getMessage());
    }
    return to;
  }

  private static Instant time(String text) {
    return text == null || text.isEmpty() ? null : Instant.parse(text);
  }
}
