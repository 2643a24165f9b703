package io.dormouse.bench.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.bench.load.LatencySummary;
import io.dormouse.bench.load.LoadResult;
import io.dormouse.bench.matrix.Cell;
import io.dormouse.bench.matrix.CellRun;
import io.dormouse.bench.matrix.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerPairTest {

  private static final Cell PLAIN = Cell.closed(false, 64);

  private static LoadResult result(double throughput, double cpuUs, long errors) {
    LatencySummary l = new LatencySummary(1000, 1, 2, 3, 4, 1);
    return new LoadResult(
        "t", "closed", 64, 0, false, 1000, errors, 5, throughput, l, l, l, 0, 0, 1, cpuUs, 1, 200);
  }

  private static CellRun run(int repeat, LoadResult off, LoadResult on) {
    return new CellRun(PLAIN, repeat, Map.of(Target.GATEWAY, off, Target.GATEWAY_LEDGER, on));
  }

  @Test
  void mediansOfThePerRepeatRatiosAndDifferences() {
    LedgerPair pair =
        LedgerPair.of(
                List.of(
                    run(0, result(10_000, 100, 0), result(9_800, 103, 0)),
                    run(1, result(8_000, 120, 1), result(6_000, 140, 0)), // a noisy repeat
                    run(2, result(10_000, 100, 0), result(9_700, 104, 2))),
                PLAIN.name())
            .orElseThrow();
    assertThat(pair.repeats()).isEqualTo(3);
    assertThat(pair.throughputRatio()).isEqualTo(0.97);
    assertThat(pair.cpuPerRequestAddedUs()).isEqualTo(4.0);
    assertThat(pair.errors()).isEqualTo(3);
    assertThat(pair.meetsTargets()).isTrue();
    assertThat(pair.note()).contains("ratio 0.970").contains("+4.0 us").doesNotContain("MISSES");
  }

  @Test
  void missingEitherBarIsSaid() {
    LedgerPair slow =
        LedgerPair.of(List.of(run(0, result(10_000, 100, 0), result(9_000, 101, 0))), PLAIN.name())
            .orElseThrow();
    LedgerPair costly =
        LedgerPair.of(List.of(run(0, result(10_000, 100, 0), result(10_000, 106, 0))), PLAIN.name())
            .orElseThrow();
    assertThat(slow.meetsTargets()).isFalse();
    assertThat(costly.meetsTargets()).isFalse();
    assertThat(costly.note()).contains("MISSES");
  }

  @Test
  void nothingWithoutARepeatThatRanBoth() {
    CellRun onlyOff = new CellRun(PLAIN, 0, Map.of(Target.GATEWAY, result(1, 1, 0)));
    assertThat(LedgerPair.of(List.of(onlyOff), PLAIN.name())).isEmpty();
    assertThat(LedgerPair.of(List.of(), "stream-64 c=64")).isEmpty();
  }
}
