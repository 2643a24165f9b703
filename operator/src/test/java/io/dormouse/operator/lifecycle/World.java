package io.dormouse.operator.lifecycle;

import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.TierState;
import io.dormouse.api.v1alpha1.TierStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, mutable picture of one endpoint's world for decision tests: the spec, what runs on each
 * tier, the Lease and the tiers' caps. Times are seconds after {@link #T0}.
 */
final class World {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  List<String> tiers = List.of("a", "b");
  int replicas = 1;
  int gpus = 1;
  Duration idle = Duration.ofMinutes(15);
  Duration start = Duration.ofMinutes(5);
  Duration retry = Duration.ofMinutes(30);
  boolean alwaysOn;
  long generation = 1;
  String specError;
  String missingPreset;
  long now;
  Long lease;
  InferenceEndpointStatus status;
  Tenancy tenancy;
  io.dormouse.operator.scaling.ScalingPolicy scaling;
  io.dormouse.operator.scaling.LoadSeries load;
  final Map<String, TierObservation> seen = new LinkedHashMap<>();
  final Map<String, TierCapacity> caps = new LinkedHashMap<>();

  World() {
    cap("a", null, 0);
    cap("b", null, 0);
  }

  static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  World tiers(String... names) {
    tiers = List.of(names);
    return this;
  }

  World now(long seconds) {
    now = seconds;
    return this;
  }

  World lease(Long seconds) {
    lease = seconds;
    return this;
  }

  World cap(String tier, Integer max, int usedByOthers) {
    caps.put(tier, new TierCapacity(tier, max, usedByOthers));
    return this;
  }

  World noTier(String tier) {
    caps.remove(tier);
    return this;
  }

  World running(String tier, int asked, int ready) {
    seen.put(tier, new TierObservation(tier, asked, ready, asked, null, null));
    return this;
  }

  /** Ready replicas in a Deployment status written before its latest scale (a terminating pod). */
  World staleReady(String tier, int ready) {
    seen.put(tier, new TierObservation(tier, replicas, ready, ready, null, null, false));
    return this;
  }

  World unschedulable(String tier, long since) {
    seen.put(tier, new TierObservation(tier, replicas, 0, replicas, at(since), null));
    return this;
  }

  /** Scheduled pods, none ready, the oldest made at {@code since}, waiting on {@code stuck}. */
  World stuck(String tier, long since, StartProblem stuck) {
    seen.put(
        tier, new TierObservation(tier, replicas, 0, replicas, null, null, true, at(since), stuck));
    return this;
  }

  World problem(String tier, StartProblem problem) {
    seen.put(tier, new TierObservation(tier, replicas, 0, replicas, null, problem));
    return this;
  }

  World podsLeft(String tier, int pods) {
    seen.put(tier, new TierObservation(tier, 0, 0, pods, null, null));
    return this;
  }

  World nothingRuns() {
    seen.clear();
    return this;
  }

  /** A previous status: phase since {@code since}, the active tier's attempt started then too. */
  World was(Phase phase, String activeTier, long since) {
    status = new InferenceEndpointStatus();
    status.setObservedGeneration(generation);
    status.setPhase(phase);
    status.setPhaseTransitionTime(at(since).toString());
    status.setActiveTier(activeTier);
    List<TierStatus> list = new ArrayList<>();
    for (String name : tiers) {
      TierStatus t = new TierStatus();
      t.setName(name);
      t.setState(TierState.Idle);
      if (name.equals(activeTier)) {
        t.setState(phase == Phase.Waking ? TierState.Starting : TierState.Ready);
        t.setAttemptStartedTime(at(since).toString());
      }
      list.add(t);
    }
    status.setTiers(list);
    status.setReadyReplicas(phase == Phase.Ready ? replicas : 0);
    if (phase == Phase.Ready || phase == Phase.Degraded) {
      // serving since then: the Ready condition's transition marks the end of the wake
      status.setConditions(
          List.of(
              new ConditionBuilder()
                  .withType(EndpointConditions.READY)
                  .withStatus("True")
                  .withReason("Serving")
                  .withLastTransitionTime(at(since).toString())
                  .build()));
    }
    return this;
  }

  World hibernatedAt(long seconds) {
    status.setLastHibernationTime(at(seconds).toString());
    return this;
  }

  World backedOff(String tier, long until, String reason) {
    TierStatus t = tier(tier);
    t.setState(TierState.Unavailable);
    t.setUnavailableUntil(at(until).toString());
    t.setReason(reason);
    t.setMessage(reason);
    return this;
  }

  TierStatus tier(String name) {
    return status.getTiers().stream().filter(t -> t.getName().equals(name)).findFirst().get();
  }

  Observation observation() {
    return new Observation(
        new Intent(
            generation,
            tiers,
            replicas,
            gpus,
            idle,
            start,
            retry,
            Intent.DEFAULT_DRAIN_DELAY,
            alwaysOn,
            specError,
            missingPreset,
            scaling == null ? io.dormouse.operator.scaling.ScalingPolicy.fixed(replicas) : scaling),
        status,
        seen,
        lease == null ? null : at(lease),
        caps,
        tenancy,
        load);
  }

  Plan decide() {
    return new Lifecycle(Clock.fixed(at(now), ZoneOffset.UTC)).decide(observation());
  }

  /** Decides, then carries the new status into the world, as the reconciler does. */
  Plan step() {
    Plan plan = decide();
    status = plan.status();
    return plan;
  }
}
