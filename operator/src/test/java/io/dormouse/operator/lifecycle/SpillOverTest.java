package io.dormouse.operator.lifecycle;

import static io.dormouse.api.v1alpha1.Phase.Failed;
import static io.dormouse.api.v1alpha1.Phase.Ready;
import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.operator.scaling.LoadSeries;
import io.dormouse.operator.scaling.ScalingPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The autoscaling form in the lifecycle: the load's count while awake, spread over tiers whose caps
 * cannot hold it all, given back as room frees above; and the Events that say why.
 */
class SpillOverTest {

  private static final ScalingPolicy AUTO =
      new ScalingPolicy(0, 4, 10, Duration.ofSeconds(10), Duration.ofSeconds(60));

  /** Serving 1 replica on tier a since t=0, with 40 in flight from t=100; now 200. */
  private static World loaded() {
    World w = new World();
    w.scaling = AUTO;
    w.load = new LoadSeries(World.at(0), List.of(new LoadSeries.Step(World.at(100), 40)));
    w.was(Ready, "a", 0).lease(199L).now(200).running("a", 1, 1);
    w.status.setDesiredReplicas(1);
    return w;
  }

  private static List<String> reasons(Plan plan) {
    return plan.events().stream().map(JournalEvent::reason).toList();
  }

  @Test
  void theLoadScalesUpAtOnceAndSaysWhy() {
    World w = loaded();

    Plan plan = w.decide();

    assertThat(plan.replicasOf("a")).isEqualTo(4);
    assertThat(plan.replicasOf("b")).isZero();
    assertThat(plan.status().getDesiredReplicas()).isEqualTo(4);
    assertThat(reasons(plan)).contains(Reasons.SCALED_UP);
    assertThat(plan.events().stream().filter(e -> e.reason().equals(Reasons.SCALED_UP)))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).startsWith("1 → 4 replica(s): load 40.0"));
  }

  @Test
  void whatAFullTierCannotHoldSpillsOverToTheNextAndComesBackAsRoomFrees() {
    World w = loaded().cap("a", 2, 0);

    Plan spilled = w.step();

    assertThat(spilled.replicasOf("a")).isEqualTo(2);
    assertThat(spilled.replicasOf("b")).isEqualTo(2);
    assertThat(reasons(spilled)).contains(Reasons.TIER_SPILL_OVER);
    assertThat(spilled.status().getMessage()).contains("spilling over to b (2)");

    // 2 + 2 ready; then tier a's cap grows: a asks for 4, b keeps 2 until a's are ready
    w.cap("a", 8, 0).running("a", 2, 2).running("b", 2, 2).now(210);
    Plan growing = w.step();
    assertThat(growing.replicasOf("a")).isEqualTo(4);
    assertThat(growing.replicasOf("b")).isEqualTo(2);

    w.running("a", 4, 3).now(220);
    Plan half = w.step();
    assertThat(half.replicasOf("a")).isEqualTo(4);
    assertThat(half.replicasOf("b")).isEqualTo(1);

    w.running("a", 4, 4).running("b", 1, 1).now(230);
    Plan back = w.step();
    assertThat(back.replicasOf("a")).isEqualTo(4);
    assertThat(back.replicasOf("b")).isZero();
    assertThat(reasons(back)).contains(Reasons.TIER_MOVED_BACK);
  }

  @Test
  void theShorthandKeepsEveryReplicaOnOneTier() {
    World w = new World();
    w.replicas = 4;
    w.cap("a", 2, 0);
    w.was(io.dormouse.api.v1alpha1.Phase.Hibernated, null, 0).lease(10L).now(11);

    Plan plan = w.decide();

    assertThat(plan.replicasOf("a")).isZero();
    assertThat(plan.replicasOf("b")).isEqualTo(4);
  }

  @Test
  void maxReplicasNoTierCouldEverHoldIsRefusedNamingTheField() {
    World w = loaded().cap("a", 2, 0).cap("b", 1, 0);

    Plan plan = w.decide();

    assertThat(plan.status().getPhase()).isEqualTo(Failed);
    assertThat(plan.status().getReason()).isEqualTo(Reasons.INVALID_SPEC);
    assertThat(plan.status().getMessage())
        .startsWith("spec.scaling.maxReplicas: 4 replica(s) of 1 GPU(s) can never run")
        .contains("hold 3");
    assertThat(plan.replicasOf("a")).isZero();
  }

  @Test
  void theCountStaysUntilTheLoadStayedLowForTheDelay() {
    World w = loaded();
    w.status.setDesiredReplicas(4);
    w.running("a", 4, 4);
    w.load =
        new LoadSeries(
            World.at(0),
            List.of(new LoadSeries.Step(World.at(100), 40), new LoadSeries.Step(World.at(180), 0)));

    Plan held = w.decide();
    assertThat(held.replicasOf("a")).isEqualTo(4);
    assertThat(held.status().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo(EndpointConditions.SCALING_LIMITED);
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("WithinRange");
            });

    w.now(251);
    Plan down = w.decide();
    assertThat(down.replicasOf("a")).isEqualTo(1);
    assertThat(reasons(down)).contains(Reasons.SCALED_DOWN);
  }

  @Test
  void aLoadAboveMaxSaysTheLimitInACondition() {
    World w = loaded();
    w.load = new LoadSeries(World.at(0), List.of(new LoadSeries.Step(World.at(100), 100)));

    Plan plan = w.decide();

    assertThat(plan.replicasOf("a")).isEqualTo(4);
    assertThat(plan.status().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo(EndpointConditions.SCALING_LIMITED);
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("TooManyReplicas");
            });
  }
}
