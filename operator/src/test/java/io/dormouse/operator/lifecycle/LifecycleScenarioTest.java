package io.dormouse.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.TierState;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Several decisions in a row, each fed the status the previous one wrote. */
class LifecycleScenarioTest {

  @Test
  void wakeServeAndSleep() {
    World w = new World();
    assertThat(w.now(0).step().status().getPhase()).isEqualTo(Phase.Hibernated);

    Plan waking = w.lease(100L).now(100).step();
    assertThat(waking.replicasOf("a")).isEqualTo(1);

    Plan ready = w.running("a", 1, 1).now(160).step();
    assertThat(ready.status().getPhase()).isEqualTo(Phase.Ready);
    assertThat(ready.wakeCompleted()).contains(new WakeCompleted("a", Duration.ofSeconds(60)));
    assertThat(ready.recheckAfter()).as("the idle deadline").contains(Duration.ofMinutes(15));

    Plan sleeping = w.now(160 + 900).step();
    assertThat(sleeping.status().getPhase()).isEqualTo(Phase.Hibernating);
    assertThat(sleeping.status().getLastHibernationTime()).isEqualTo(World.at(1060).toString());

    Plan asleep = w.nothingRuns().now(1070).step();
    assertThat(asleep.status().getPhase()).isEqualTo(Phase.Hibernated);
    assertThat(asleep.events()).extracting(JournalEvent::reason).containsExactly("Hibernated");

    assertThat(w.now(5000).step().status().getPhase())
        .as("the old activity does not wake it again")
        .isEqualTo(Phase.Hibernated);
    assertThat(w.status.getHistory())
        .extracting(t -> t.getTo())
        .containsExactly(
            Phase.Hibernated, Phase.Waking, Phase.Ready, Phase.Hibernating, Phase.Hibernated);
  }

  @Test
  void aLongInFlightStreamKeepsTheEndpointAwake() {
    World w = new World().was(Phase.Ready, "a", 0).running("a", 1, 1);
    // The gateway renews the Lease every few seconds while one stream runs for an hour.
    for (long t = 0; t <= 3600; t += 10) {
      Plan plan = w.lease(t).now(t + 5).step();
      assertThat(plan.status().getPhase()).as("at %ss", t).isEqualTo(Phase.Ready);
      assertThat(plan.replicasOf("a")).isEqualTo(1);
    }
    assertThat(w.now(3600 + 900).step().status().getPhase()).isEqualTo(Phase.Hibernating);
  }

  @Test
  void aFlappingReplicaDoesNotPostponeHibernation() {
    World w = new World();
    w.replicas = 2;
    w.now(0).step();
    w.lease(10L).now(10).step();
    assertThat(w.running("a", 2, 2).now(60).step().status().getPhase()).isEqualTo(Phase.Ready);
    // A replica restarts twice; no request comes in.
    assertThat(w.running("a", 2, 1).now(300).step().status().getPhase()).isEqualTo(Phase.Degraded);
    assertThat(w.running("a", 2, 2).now(600).step().status().getPhase()).isEqualTo(Phase.Ready);

    Plan plan = w.now(60 + 900).step();

    assertThat(plan.status().getPhase())
        .as("idle counts from the last request or the end of the wake, not a replica's restart")
        .isEqualTo(Phase.Hibernating);
  }

  @Test
  void aSettledEndpointRewritesNothing() {
    World ready = new World();
    ready.now(0).step();
    ready.lease(10L).now(10).step();
    ready.running("a", 1, 1).now(60).step();
    assertThat(ready.status.getPhase()).isEqualTo(Phase.Ready);
    assertThat(json(ready.now(120).decide().status()))
        .as("Ready, nothing changed")
        .isEqualTo(json(ready.status));

    World failed = new World().was(Phase.Waking, "a", 0);
    failed.problem("a", StartProblem.imagePullFailing("pull access denied")).now(10).step();
    failed.problem("b", StartProblem.crashLooping("exit code 1")).now(20).step();
    assertThat(failed.status.getPhase()).isEqualTo(Phase.Failed);
    assertThat(json(failed.now(30).decide().status()))
        .as("Failed, nothing changed")
        .isEqualTo(json(failed.status));
  }

  /** Plain Jackson: the Fabric8 serializer's start-up costs seconds in every mutation run. */
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String json(Object status) {
    try {
      return JSON.writeValueAsString(status);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void gpuCapsAreSharedByTwoEndpoints() {
    // Tier a has 2 GPUs; each endpoint needs 2. The first to decide takes them.
    World first = new World();
    first.gpus = 2;
    first.cap("a", 2, 0).was(Phase.Hibernated, null, 0).lease(5L).now(6);
    Plan firstPlan = first.step();
    assertThat(firstPlan.replicasOf("a")).isEqualTo(1);

    int taken = firstPlan.replicasOf("a") * 2;
    World second = new World().cap("a", 2, taken).was(Phase.Hibernated, null, 0).lease(5L).now(6);
    second.gpus = 2;
    Plan secondPlan = second.step();
    assertThat(secondPlan.replicasOf("a")).as("no room left on a").isZero();
    assertThat(secondPlan.replicasOf("b")).isEqualTo(1);
    assertThat(secondPlan.status().getActiveTier()).isEqualTo("b");
  }

  @Test
  void fallBackThenRetryAndMoveBackUp() {
    World w = new World().was(Phase.Waking, "a", 0).unschedulable("a", 0).now(301);
    Plan fallback = w.step();
    assertThat(fallback.fallbacks()).containsExactly(new Fallback("a", "b", "Unschedulable"));
    assertThat(w.tier("a").getState()).isEqualTo(TierState.Unavailable);
    assertThat(fallback.events().get(0).message()).contains("tier a", "unschedulable", "tier b");

    w.nothingRuns().running("b", 1, 1).now(400).lease(390L).step();
    assertThat(w.status.getPhase()).isEqualTo(Phase.Ready);
    assertThat(w.status.getActiveTier()).isEqualTo("b");

    Plan retry = w.lease(2100L).now(2110).step();
    assertThat(retry.events()).extracting(JournalEvent::reason).containsExactly("TierRetry");
    assertThat(retry.replicasOf("a")).isEqualTo(1);
    assertThat(retry.replicasOf("b")).isEqualTo(1);

    Plan moved = w.running("a", 1, 1).now(2200).step();
    assertThat(moved.events()).extracting(JournalEvent::reason).containsExactly("TierMovedBack");
    assertThat(moved.status().getActiveTier()).isEqualTo("a");
    assertThat(moved.replicasOf("b")).as("b drains first").isEqualTo(1);
    assertThat(moved.recheckAfter()).contains(Intent.DEFAULT_DRAIN_DELAY);

    Plan drained = w.now(2231).step();
    assertThat(drained.replicasOf("a")).isEqualTo(1);
    assertThat(drained.replicasOf("b")).isZero();
    assertThat(w.tier("b").getState()).isEqualTo(TierState.Idle);
  }

  @Test
  void everyTierFailedNamesEachTiersState() {
    World w = new World().was(Phase.Waking, "a", 0);
    w.problem("a", StartProblem.imagePullFailing("pull access denied")).now(10).step();
    Plan failed = w.problem("b", StartProblem.crashLooping("exit code 1")).now(20).step();

    assertThat(failed.status().getPhase()).isEqualTo(Phase.Failed);
    assertThat(failed.status().getMessage())
        .contains("a: backed off", "pull access denied", "b: backed off", "exit code 1");
    assertThat(failed.fallbacks()).extracting(Fallback::toTier).containsExactly(Fallback.NONE);
  }

  @Test
  void aFixedSpecWithNoUsableTierNoLongerSaysInvalidSpec() {
    World w = new World().noTier("a").noTier("b").now(0);
    w.specError = "no model: set model.name or a preset that names one";
    assertThat(w.step().status().getReason()).isEqualTo("InvalidSpec");

    w.specError = null;
    w.generation = 2;
    Plan fixed = w.now(60).step();

    assertThat(fixed.status().getPhase()).isEqualTo(Phase.Failed);
    assertThat(fixed.status().getReason()).isEqualTo("TierNotFound");
    assertThat(fixed.status().getMessage()).contains("GpuTier \"a\" not found");
    assertThat(fixed.events())
        .as("no wake was asked for")
        .noneMatch(e -> e.reason().equals("WakeFailed"));
  }

  @Test
  void aMissingTierIsNamedInACondition() {
    World w = new World().noTier("b").now(0);
    Plan plan = w.step();
    Condition resolved = condition(plan, EndpointConditions.TIERS_RESOLVED);
    assertThat(resolved.getStatus()).isEqualTo("False");
    assertThat(resolved.getReason()).isEqualTo("TierNotFound");
    assertThat(resolved.getMessage()).contains("\"b\"");
    assertThat(resolved.getObservedGeneration()).isEqualTo(1L);
  }

  @Test
  void aPresetMissingFromTheCatalogIsNamedOnceInTheJournalAndInACondition() {
    World w = new World().now(0);
    w.missingPreset = "tiny";
    Plan first = w.step();
    assertThat(first.events())
        .filteredOn(e -> e.reason().equals("PresetNotFound"))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("\"tiny\""));
    Condition resolved = condition(first, EndpointConditions.PRESET_RESOLVED);
    assertThat(resolved.getStatus()).isEqualTo("False");
    assertThat(resolved.getReason()).isEqualTo("PresetNotFound");
    assertThat(resolved.getMessage()).contains("\"tiny\"");

    assertThat(w.now(60).step().events()).as("said once, not every reconcile").isEmpty();

    w.missingPreset = null;
    Plan found = w.now(120).step();
    assertThat(condition(found, EndpointConditions.PRESET_RESOLVED).getStatus()).isEqualTo("True");
  }

  @Test
  void conditionsKeepTheirTransitionTimeWhileUnchanged() {
    World w = new World().now(0);
    w.step();
    String first = condition(w.step(), EndpointConditions.READY).getLastTransitionTime();
    Plan later = w.now(500).step();
    assertThat(condition(later, EndpointConditions.READY).getLastTransitionTime()).isEqualTo(first);
    Plan awake = w.lease(600L).now(600).step();
    w.running("a", 1, 1).now(650).step();
    assertThat(awake.status().getPhase()).isEqualTo(Phase.Waking);
    assertThat(condition(w.decide(), EndpointConditions.READY).getStatus()).isEqualTo("True");
    assertThat(condition(w.decide(), EndpointConditions.READY).getLastTransitionTime())
        .isEqualTo(World.at(650).toString());
  }

  @Test
  void historyIsBounded() {
    World w = new World().now(0);
    w.step();
    for (int i = 1; i <= 30; i++) {
      long t = i * 10_000L;
      w.lease(t).now(t).step();
      w.running("a", 1, 1).now(t + 10).step();
      w.now(t + 10 + 900).step();
      w.nothingRuns().now(t + 920).step();
    }
    assertThat(w.status.getHistory()).hasSize(StatusAssembly.HISTORY_LIMIT);
    assertThat(w.status.getHistory().get(StatusAssembly.HISTORY_LIMIT - 1).getTo())
        .isEqualTo(Phase.Hibernated);
  }

  private static Condition condition(Plan plan, String type) {
    return plan.status().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
