package io.dormouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.bench.matrix.Cell;
import java.util.List;
import org.junit.jupiter.api.Test;
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

  @Test
  void onlyCellsKeepsTheNamedCellsAndEverythingElse() {
    BenchPlan quick = BenchPlan.quick();
    BenchPlan some = quick.onlyCells(List.of("1KB c=64", "stream-64 c=1"));
    assertThat(some.cells()).containsExactly(Cell.closed(false, 64), Cell.closed(true, 1));
    assertThat(some.repeats()).isEqualTo(quick.repeats());
    assertThat(some.duration()).isEqualTo(quick.duration());
    assertThat(quick.onlyCells(List.of())).isEqualTo(quick);
    assertThat(quick.onlyCells(null)).isEqualTo(quick);
  }

  @Test
  void onlyCellsRefusesANameNoCellHas() {
    assertThatThrownBy(() -> BenchPlan.quick().onlyCells(List.of("1KB c=65")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1KB c=64");
  }
}
