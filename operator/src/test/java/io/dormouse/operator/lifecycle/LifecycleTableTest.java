package io.dormouse.operator.lifecycle;

import static io.dormouse.api.v1alpha1.Phase.Degraded;
import static io.dormouse.api.v1alpha1.Phase.Failed;
import static io.dormouse.api.v1alpha1.Phase.Hibernated;
import static io.dormouse.api.v1alpha1.Phase.Hibernating;
import static io.dormouse.api.v1alpha1.Phase.Ready;
import static io.dormouse.api.v1alpha1.Phase.Waking;
import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.TierState;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The design's decision table, one row per case: a world (previous status, what runs, the Lease,
 * caps; times in seconds), then the phase, replicas of tiers a and b, the timer after which the
 * decision must be made again (seconds from now, or {@code NONE}), and the events it yields.
 * Defaults: tiers [a, b], 1 replica of 1 GPU, idleTimeout 15m, tierStartTimeout 5m,
 * tierRetryInterval 30m.
 */
class LifecycleTableTest {

  static Stream<Arguments> rows() {
    return Stream.of(
        row("new endpoint sleeps", w -> w.now(0), Hibernated, 0, 0, NONE, "Created"),
        row(
            "new alwaysOn endpoint wakes",
            w -> w.now(0).alwaysOn = true,
            Waking,
            1,
            0,
            300L,
            "Waking"),
        row(
            "activity after the last hibernation wakes the first tier",
            w -> w.was(Hibernated, null, 0).hibernatedAt(0).lease(100L).now(101),
            Waking,
            1,
            0,
            300L,
            "Waking"),
        row(
            "activity before the last hibernation is no demand",
            w -> w.was(Hibernated, null, 0).hibernatedAt(100).lease(90L).now(200),
            Hibernated,
            0,
            0,
            NONE),
        row(
            "first tier's cap is full: wake on the next",
            w -> w.was(Hibernated, null, 0).lease(10L).now(11).cap("a", 8, 8),
            Waking,
            0,
            1,
            300L,
            "Waking"),
        row(
            "no usable tier: Failed at once",
            w ->
                w.was(Hibernated, null, 0)
                    .backedOff("a", 1000, "Unschedulable")
                    .noTier("b")
                    .lease(10L)
                    .now(11),
            Failed,
            0,
            0,
            989L,
            "TierNotFound",
            "WakeFailed"),
        row(
            "the woken tier has a ready replica: Ready",
            w -> w.was(Waking, "a", 0).running("a", 1, 1).now(60),
            Ready,
            1,
            0,
            900L,
            "Ready"),
        row(
            "the woken tier's ready replica is from before the scale-up: hold",
            w -> w.was(Waking, "a", 100).hibernatedAt(90).staleReady("a", 1).now(101),
            Waking,
            1,
            0,
            299L),
        row(
            "unschedulable within tierStartTimeout: hold",
            w -> w.was(Waking, "a", 0).unschedulable("a", 5).now(200),
            Waking,
            1,
            0,
            100L),
        row(
            "unschedulable past tierStartTimeout: fall back",
            w -> w.was(Waking, "a", 0).unschedulable("a", 5).now(306),
            Waking,
            0,
            1,
            300L,
            "TierFallback"),
        row(
            "a replica stuck starting within tierStartTimeout: hold",
            w ->
                w.was(Waking, "a", 0)
                    .stuck("a", 5, new StartProblem("ContainerCreating", "volume not attached"))
                    .now(200),
            Waking,
            1,
            0,
            100L),
        row(
            "a replica stuck starting past tierStartTimeout: fall back",
            w ->
                w.was(Waking, "a", 0)
                    .stuck("a", 5, new StartProblem("ContainerCreating", "volume not attached"))
                    .now(306),
            Waking,
            0,
            1,
            300L,
            "TierFallback"),
        row(
            "crash loop: fall back at once",
            w ->
                w.was(Waking, "a", 0)
                    .problem("a", StartProblem.crashLooping("engine restarts"))
                    .now(30),
            Waking,
            0,
            1,
            300L,
            "TierFallback"),
        row(
            "image pull failing: fall back at once",
            w ->
                w.was(Waking, "a", 0)
                    .problem("a", StartProblem.imagePullFailing("no such image"))
                    .now(30),
            Waking,
            0,
            1,
            300L,
            "TierFallback"),
        row(
            "the last tier fails too: Failed",
            w ->
                w.was(Waking, "b", 0)
                    .backedOff("a", 2000, "Unschedulable")
                    .problem("b", StartProblem.imagePullFailing("no such image"))
                    .now(30),
            Failed,
            0,
            0,
            1800L,
            "WakeFailed"),
        row(
            "no hibernation while waking, however old the activity",
            w -> w.was(Waking, "a", 0).lease(-5000L).unschedulable("a", 0).now(250),
            Waking,
            1,
            0,
            50L),
        row(
            "idle past idleTimeout: hibernate",
            w -> w.was(Ready, "a", 0).running("a", 1, 1).lease(10L).now(10 + 900),
            Hibernating,
            0,
            0,
            NONE,
            "Hibernating"),
        row(
            "recent activity keeps it Ready",
            w -> w.was(Ready, "a", 0).running("a", 1, 1).lease(800L).now(1000),
            Ready,
            1,
            0,
            700L),
        row(
            "idle counts from the end of the wake, not from an older request",
            w -> w.was(Ready, "a", 600).running("a", 1, 1).lease(10L).now(1000),
            Ready,
            1,
            0,
            500L),
        row(
            "alwaysOn never hibernates",
            w -> {
              w.was(Ready, "a", 0).running("a", 1, 1).lease(0L).now(100_000);
              w.alwaysOn = true;
            },
            Ready,
            1,
            0,
            NONE),
        row(
            "the serving tier lost every ready replica: waking again on it",
            w -> w.was(Ready, "a", 0).running("a", 1, 0).lease(50L).now(60),
            Waking,
            1,
            0,
            300L,
            "ReplicaUnavailable"),
        row(
            "fewer ready replicas than asked: Degraded",
            w -> {
              w.replicas = 2;
              w.was(Ready, "a", 0).running("a", 2, 1).lease(50L).now(60);
            },
            Degraded,
            2,
            0,
            890L,
            "ReplicaUnavailable"),
        row(
            "woke with part of the replicas, the rest still starting: Ready",
            w -> {
              w.replicas = 2;
              w.was(Ready, "a", 0).running("a", 2, 1).lease(50L).now(200);
              w.status.setReadyReplicas(1);
            },
            Ready,
            2,
            0,
            100L),
        row(
            "part of the replicas never came up within tierStartTimeout: Degraded",
            w -> {
              w.replicas = 2;
              w.was(Ready, "a", 0).running("a", 2, 1).lease(350L).now(360);
              w.status.setReadyReplicas(1);
            },
            Degraded,
            2,
            0,
            890L,
            "ReplicaUnavailable"),
        row(
            "hibernating, pods still terminating: hold",
            w -> w.was(Hibernating, null, 100).hibernatedAt(100).podsLeft("a", 1).now(110),
            Hibernating,
            0,
            0,
            NONE),
        row(
            "hibernating, no pods left: Hibernated",
            w -> w.was(Hibernating, null, 100).hibernatedAt(100).now(130),
            Hibernated,
            0,
            0,
            NONE,
            "Hibernated"),
        row(
            "a request raced the hibernation: wake again",
            w -> w.was(Hibernating, null, 100).hibernatedAt(100).lease(105L).now(106),
            Waking,
            1,
            0,
            300L,
            "Waking"),
        row(
            "failed, new demand, a back-off expired: wake",
            w ->
                w.was(Failed, null, 100)
                    .backedOff("a", 1900, "Unschedulable")
                    .backedOff("b", 1950, "CrashLoopBackOff")
                    .lease(1800L)
                    .now(1901),
            Waking,
            1,
            0,
            49L,
            "Waking"),
        row(
            "failed, new demand, back-offs running: stay Failed",
            w ->
                w.was(Failed, null, 100)
                    .backedOff("a", 1900, "Unschedulable")
                    .backedOff("b", 1950, "CrashLoopBackOff")
                    .lease(1800L)
                    .now(1850),
            Failed,
            0,
            0,
            50L),
        row(
            "failed, spec changed, new demand: back-offs cleared, wake",
            w -> {
              w.was(Failed, null, 100)
                  .backedOff("a", 1900, "ImagePullBackOff")
                  .backedOff("b", 1950, "ImagePullBackOff")
                  .lease(150L)
                  .now(200);
              w.generation = 2;
            },
            Waking,
            1,
            0,
            300L,
            "Waking"),
        row(
            "failed, back-off expired, no new demand: back to sleep",
            w -> w.was(Failed, null, 100).backedOff("a", 1900, "Unschedulable").now(1901),
            Hibernated,
            0,
            0,
            NONE,
            "Hibernated"),
        row(
            "a missing GpuTier is skipped",
            w -> w.was(Hibernated, null, 0).noTier("a").lease(10L).now(11),
            Waking,
            0,
            1,
            300L,
            "TierNotFound",
            "Waking"),
        row(
            "serving below the top tier, retry due: try the higher tier too",
            w -> w.was(Ready, "b", 0).running("b", 1, 1).lease(1790L).now(1800),
            Ready,
            1,
            1,
            300L,
            "TierRetry"),
        row(
            "serving below the top tier, retry not due yet",
            w -> w.was(Ready, "b", 0).running("b", 1, 1).lease(1700L).now(1700),
            Ready,
            0,
            1,
            100L),
        row(
            "retry of the higher tier is ready: move back, the lower one drains",
            w -> {
              w.was(Ready, "b", 0).running("b", 1, 1).running("a", 1, 1).lease(1890L).now(1900);
              w.tier("a").setState(TierState.Starting);
              w.tier("a").setAttemptStartedTime(World.at(1800).toString());
            },
            Ready,
            1,
            1,
            30L,
            "TierMovedBack"),
        row(
            "the drained lower tier scales to 0 after the drain delay",
            w -> {
              w.was(Ready, "a", 0).running("a", 1, 1).running("b", 1, 1).lease(1890L).now(1931);
              w.tier("b").setState(TierState.Draining);
              w.tier("b").setDrainStartedTime(World.at(1900).toString());
            },
            Ready,
            1,
            0,
            859L),
        row(
            "retry of the higher tier fails: back off, stay on the lower",
            w -> {
              w.was(Ready, "b", 0).running("b", 1, 1).lease(1890L).now(1900);
              w.problem("a", StartProblem.crashLooping("engine restarts"));
              w.tier("a").setState(TierState.Starting);
              w.tier("a").setAttemptStartedTime(World.at(1800).toString());
            },
            Ready,
            0,
            1,
            890L,
            "TierFallback"),
        row(
            "failed, back-off expired, only the request that failed it: back to sleep, no loop",
            w ->
                w.was(Failed, null, 100)
                    .backedOff("a", 1900, "Unschedulable")
                    .backedOff("b", 1950, "Unschedulable")
                    .lease(90L)
                    .now(1901),
            Hibernated,
            0,
            0,
            49L,
            "Hibernated"),
        row(
            "the serving tier's GpuTier was deleted: wake on the next tier",
            w -> w.was(Ready, "a", 0).running("a", 1, 1).noTier("a").lease(50L).now(60),
            Waking,
            0,
            1,
            300L,
            "TierNotFound",
            "Waking"),
        row(
            "the waking tier's GpuTier was deleted: fall back to the next tier",
            w -> w.was(Waking, "a", 0).noTier("a").lease(5L).now(30),
            Waking,
            0,
            1,
            300L,
            "TierNotFound",
            "TierFallback"),
        row(
            "the serving tier was removed from the spec: wake on what the spec names",
            w -> w.was(Ready, "a", 0).running("a", 1, 1).tiers("b").lease(50L).now(60),
            Waking,
            0,
            1,
            300L,
            "Waking"),
        row(
            "the waking tier was removed from the spec: wake on what the spec names",
            w -> w.was(Waking, "a", 0).tiers("b").lease(5L).now(30),
            Waking,
            0,
            1,
            300L,
            "Waking"),
        row(
            "retry of the higher tier still starting: both run, nothing said",
            w -> {
              w.was(Ready, "b", 0).running("b", 1, 1).running("a", 1, 0).lease(1890L).now(1900);
              w.tier("a").setState(TierState.Starting);
              w.tier("a").setAttemptStartedTime(World.at(1800).toString());
              w.tier("a").setLastRetryTime(World.at(1800).toString());
            },
            Ready,
            1,
            1,
            890L),
        row(
            "a pod unschedulable since before this attempt counts from the attempt: hold",
            w -> w.was(Waking, "a", 1000).unschedulable("a", 0).lease(990L).now(1010),
            Waking,
            1,
            0,
            290L),
        row(
            "a spec that cannot be served: Failed, and no wake failed",
            w -> w.now(0).specError = "no model: set model.name or a preset that names one",
            Failed,
            0,
            0,
            NONE,
            "InvalidSpec"),
        row(
            "a preset missing and no model.name: Failed, said once",
            w -> {
              w.now(0).specError = "preset \"x\" is not in the model catalog";
              w.missingPreset = "x";
            },
            Failed,
            0,
            0,
            NONE,
            "PresetNotFound"),
        row(
            "no GpuTier of the spec exists: Failed as soon as it is applied",
            w -> w.now(0).noTier("a").noTier("b"),
            Failed,
            0,
            0,
            NONE,
            "TierNotFound"),
        row(
            "one GpuTier of the spec is missing: asleep, and said",
            w -> w.now(0).noTier("b"),
            Hibernated,
            0,
            0,
            NONE,
            "TierNotFound",
            "Created"),
        row(
            "every tier gone while serving: Failed, no wake asked for",
            w -> w.was(Ready, "a", 0).running("a", 1, 1).lease(10L).now(20).noTier("a").noTier("b"),
            Failed,
            0,
            0,
            NONE,
            "TierNotFound"),
        row(
            "failed for a missing tier, which now exists though full: asleep until asked",
            w -> {
              w.was(Failed, null, 0).now(30).cap("a", 8, 8).cap("b", 8, 8);
              w.status.setReason("TierNotFound");
            },
            Hibernated,
            0,
            0,
            NONE,
            "Hibernated"),
        // A tier left Starting or Draining by an earlier decision is idled by whichever row runs
        // next; the record (LifecycleStatusTest) shows its state and times cleared.
        row(
            "woke on a: a tier b left draining is idled",
            w -> {
              w.was(Waking, "a", 0).running("a", 1, 1).now(60);
              w.tier("b").setState(TierState.Draining);
              w.tier("b").setDrainStartedTime(World.at(30).toString());
            },
            Ready,
            1,
            0,
            900L,
            "Ready"),
        row(
            "a wake idles a tier b left starting",
            w -> {
              w.was(Hibernated, null, 0).lease(10L).now(11);
              w.tier("b").setState(TierState.Starting);
              w.tier("b").setAttemptStartedTime(World.at(5).toString());
            },
            Waking,
            1,
            0,
            300L,
            "Waking"),
        row(
            "asleep, no demand: a tier b left starting is idled",
            w -> {
              w.was(Hibernated, null, 0).hibernatedAt(0).now(50);
              w.tier("b").setState(TierState.Starting);
              w.tier("b").setAttemptStartedTime(World.at(5).toString());
            },
            Hibernated,
            0,
            0,
            NONE),
        row(
            "hibernating: a tier b left starting is idled",
            w -> {
              w.was(Hibernating, null, 100).hibernatedAt(100).podsLeft("a", 1).now(110);
              w.tier("b").setState(TierState.Starting);
              w.tier("b").setAttemptStartedTime(World.at(5).toString());
            },
            Hibernating,
            0,
            0,
            NONE),
        row(
            "idle while a tier b drains: both idled",
            w -> {
              w.was(Ready, "a", 0).running("a", 1, 1).running("b", 1, 1).lease(10L).now(910);
              w.tier("b").setState(TierState.Draining);
              w.tier("b").setDrainStartedTime(World.at(900).toString());
            },
            Hibernating,
            0,
            0,
            NONE,
            "Hibernating"),
        row(
            "waking on a, still starting: a tier b left draining is idled",
            w -> {
              w.was(Waking, "a", 0).unschedulable("a", 5).now(200);
              w.tier("b").setState(TierState.Draining);
              w.tier("b").setDrainStartedTime(World.at(30).toString());
            },
            Waking,
            1,
            0,
            100L),
        row(
            "an invalid spec already said: not said again",
            w -> {
              w.was(Failed, null, 0).now(50).specError = "no model";
              w.status.setReason("InvalidSpec");
              w.status.setMessage("no model");
            },
            Failed,
            0,
            0,
            NONE),
        row(
            "an invalid spec with a new error: said again",
            w -> {
              w.was(Failed, null, 0).now(50).specError = "no engine image";
              w.status.setReason("InvalidSpec");
              w.status.setMessage("no model");
            },
            Failed,
            0,
            0,
            NONE,
            "InvalidSpec"),
        row(
            "failed to wake, no demand, back-offs running: stay Failed, message kept",
            w -> {
              w.was(Failed, null, 100)
                  .backedOff("a", 1900, "Unschedulable")
                  .backedOff("b", 1950, "Unschedulable")
                  .now(200);
              w.status.setReason("WakeFailed");
              w.status.setMessage("no usable tier: as said at 100");
            },
            Failed,
            0,
            0,
            1700L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(
      String name,
      Consumer<World> setup,
      Phase phase,
      int a,
      int b,
      Long recheck,
      List<String> events) {
    World world = new World();
    setup.accept(world);

    Plan plan = world.decide();

    assertThat(plan.status().getPhase()).as("phase").isEqualTo(phase);
    assertThat(plan.replicasOf("a")).as("replicas of tier a").isEqualTo(a);
    assertThat(plan.replicasOf("b")).as("replicas of tier b").isEqualTo(b);
    assertThat(plan.events()).extracting(JournalEvent::reason).containsExactlyElementsOf(events);
    assertThat(plan.recheckAfter())
        .as("when to decide again")
        .isEqualTo(recheck == NONE ? Optional.empty() : Optional.of(Duration.ofSeconds(recheck)));
  }

  static Stream<Arguments> conditionRows() {
    return Stream.of(
        Arguments.of("asleep", (Consumer<World>) w -> w.now(0), "FFFT", "AsExpected"),
        Arguments.of(
            "waking, nothing ready yet",
            (Consumer<World>) w -> w.was(Hibernated, null, 0).lease(10L).now(11),
            "FFFT",
            "AsExpected"),
        Arguments.of(
            "waking, an old replica still counted ready",
            (Consumer<World>)
                w -> w.was(Waking, "a", 100).hibernatedAt(90).staleReady("a", 1).now(101),
            "FTFT",
            "AsExpected"),
        Arguments.of(
            "serving",
            (Consumer<World>) w -> w.was(Waking, "a", 0).running("a", 1, 1).now(60),
            "TTFT",
            "AsExpected"),
        Arguments.of(
            "serving with a replica short",
            (Consumer<World>)
                w -> {
                  w.replicas = 2;
                  w.was(Ready, "a", 0).running("a", 2, 1).lease(50L).now(60);
                },
            "TTTT",
            "ReplicaUnavailable"),
        Arguments.of(
            "serving on b, GpuTier a deleted",
            (Consumer<World>)
                w -> w.was(Ready, "b", 0).running("b", 1, 1).noTier("a").lease(50L).now(60),
            "TTFF",
            "AsExpected"),
        Arguments.of(
            "failed, GpuTier b missing",
            (Consumer<World>)
                w ->
                    w.was(Hibernated, null, 0)
                        .backedOff("a", 1000, "Unschedulable")
                        .noTier("b")
                        .lease(10L)
                        .now(11),
            "FFTF",
            "WakeFailed"),
        Arguments.of(
            "hibernating, a pod still terminating",
            (Consumer<World>)
                w -> w.was(Hibernating, null, 100).hibernatedAt(100).podsLeft("a", 1).now(110),
            "FFFT",
            "AsExpected"));
  }

  /**
   * Ready, Available, Degraded and TiersResolved, as T or F in that order; each can be told apart
   * from the others and from the phase.
   */
  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("conditionRows")
  void conditionsSayWhatIsServingAndWhatIsWrong(
      String name, Consumer<World> setup, String expected, String degradedReason) {
    World world = new World();
    world.generation = 7;
    setup.accept(world);
    if (world.status != null) {
      world.status.setObservedGeneration(7L);
    }

    Plan plan = world.decide();

    StringBuilder actual = new StringBuilder();
    for (String type :
        List.of(
            EndpointConditions.READY,
            EndpointConditions.AVAILABLE,
            EndpointConditions.DEGRADED,
            EndpointConditions.TIERS_RESOLVED)) {
      Condition c = condition(plan, type);
      actual.append("True".equals(c.getStatus()) ? 'T' : 'F');
      assertThat(c.getObservedGeneration()).as(type).isEqualTo(7L);
      assertThat(c.getLastTransitionTime()).as(type).isNotBlank();
    }
    assertThat(actual).as("Ready, Available, Degraded, TiersResolved").hasToString(expected);
    assertThat(condition(plan, EndpointConditions.DEGRADED).getReason()).isEqualTo(degradedReason);
    assertThat(condition(plan, EndpointConditions.AVAILABLE).getMessage())
        .startsWith(plan.status().getReadyReplicas() + " engine replica(s) ready");
  }

  private static Condition condition(Plan plan, String type) {
    return plan.status().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  /** No timer: only a change in the cluster brings the next decision. */
  private static final Long NONE = null;

  private static Arguments row(
      String name,
      Consumer<World> setup,
      Phase phase,
      int a,
      int b,
      Long recheckSeconds,
      String... events) {
    return Arguments.of(name, setup, phase, a, b, recheckSeconds, List.of(events));
  }
}
