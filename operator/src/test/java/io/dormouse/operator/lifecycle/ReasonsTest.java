package io.dormouse.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.Transition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One vocabulary: for every row of the decision table, status.reason, the history's reasons and the
 * Events' reasons are words of {@link Reasons}, and a change of phase says one word in all three.
 */
class ReasonsTest {

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> rows() {
    return LifecycleTableTest.rows();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  @SuppressWarnings("unchecked")
  void aPhaseChangeSaysOneReasonInStatusHistoryAndEvents(
      String name,
      Consumer<World> setup,
      Phase phase,
      int a,
      int b,
      Long recheckSeconds,
      List<String> events) {
    World world = new World();
    setup.accept(world);
    Phase before = world.status == null ? null : world.status.getPhase();
    int historyBefore =
        world.status == null || world.status.getHistory() == null
            ? 0
            : world.status.getHistory().size();

    Plan plan = world.decide();

    String reason = plan.status().getReason();
    if (reason != null || before != plan.status().getPhase()) {
      // (the table's made-up previous statuses carry no reason; a kept phase keeps it)
      assertThat(Reasons.ALL).as("status.reason").contains(reason);
    }
    assertThat(plan.events()).extracting(JournalEvent::reason).isSubsetOf(Reasons.ALL);
    List<Transition> added =
        plan.status().getHistory().subList(historyBefore, plan.status().getHistory().size());
    assertThat(added).extracting(Transition::getReason).isSubsetOf(Reasons.ALL);
    if (before != plan.status().getPhase()) {
      assertThat(added).as("a phase change is recorded").isNotEmpty();
      assertThat(added.get(added.size() - 1).getReason()).isEqualTo(reason);
      assertThat(plan.events()).extracting(JournalEvent::reason).contains(reason);
    }
  }

  @Test
  void theConceptsPageListsEveryReason() throws Exception {
    String concepts = Files.readString(Path.of("..", "docs", "concepts.md"));
    for (String reason : Reasons.ALL) {
      assertThat(concepts).as(reason).contains("`" + reason + "`");
    }
  }
}
