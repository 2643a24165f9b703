package io.dormouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.bench.matrix.Cell;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BenchPlanTest {

  @ParameterizedTest
  @ValueSource(strings = {"quick", "full"})
  void everyModeRunsTheWholeMatrixOfTheIssue(String mode) {
    BenchPlan plan = BenchPlan.named(mode);
    for (boolean streaming : new boolean[] {false, true}) {
      for (int concurrency : new int[] {1, 64, 256}) {
        assertThat(plan.cells()).contains(Cell.closed(streaming, concurrency));
      }
    }
    assertThat(plan.cells()).anyMatch(c -> c.ratePerSecond() > 0);
    assertThat(plan.cells()).anyMatch(Cell::paced);
    assertThat(plan.repeats()).isGreaterThanOrEqualTo(2);
    assertThat(plan.waiters()).isEqualTo(1000);
    assertThat(plan.operatorEndpoints()).isEqualTo(1000);
    assertThat(plan.operatorWindow()).isGreaterThan(BenchPlan.OPERATOR_RESYNC);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Quick", "fast"})
  void refusesUnknownModes(String mode) {
    assertThatThrownBy(() -> BenchPlan.named(mode)).isInstanceOf(IllegalArgumentException.class);
  }
}
