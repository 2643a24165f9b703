package io.dormouse.bench.matrix;

import static io.dormouse.bench.matrix.Results.result;
import static io.dormouse.bench.matrix.Results.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CellComparisonTest {

  private final Cell cell = Cell.closed(true, 64);

  @Test
  void addedLatencyIsPairedWithinARepeatThenTheMedianIsTaken() {
    // The machine got slower in repeat 2: absolute latencies doubled, the gateway's addition did
    // not. Pairing reports the addition; subtracting medians of absolutes would not.
    List<CellRun> runs =
        List.of(
            run(
                cell,
                0,
                result(1000, 1.0, 2.0, 0.5, 10),
                result(900, 1.2, 2.5, 0.6, 10),
                result(950, 1.1, 2.2, 0.55, 10)),
            run(
                cell,
                1,
                result(500, 2.0, 4.0, 1.0, 10),
                result(450, 2.2, 4.5, 1.1, 10),
                result(480, 2.1, 4.2, 1.05, 10)),
            run(
                cell,
                2,
                result(1000, 1.0, 2.0, 0.5, 10),
                result(900, 1.2, 2.5, 0.6, 10),
                result(950, 1.1, 2.2, 0.55, 10)));
    CellComparison c = CellComparison.of(cell, runs);
    assertThat(c.gatewayAddedP50()).isCloseTo(0.2, within(1e-9));
    assertThat(c.gatewayAddedP99()).isCloseTo(0.5, within(1e-9));
    assertThat(c.ttftAddedP50()).isCloseTo(0.1, within(1e-9));
    assertThat(c.throughputRatioToNginx()).isCloseTo(900.0 / 950, within(1e-9));
    assertThat(c.p99RatioToNginx()).isCloseTo(2.5 / 2.2, within(1e-9));
    assertThat(c.nginxAddedP50()).isCloseTo(0.1, within(1e-9));
    assertThat(c.directThroughput()).isEqualTo(1000);
    assertThat(c.repeats()).isEqualTo(3);
    assertThat(c.errors()).isZero();
  }

  @Test
  void nonStreamingCellsHaveNoStreamingFigures() {
    Cell plain = Cell.closed(false, 1);
    CellComparison c =
        CellComparison.of(
            plain,
            List.of(
                run(
                    plain,
                    0,
                    result(1, 1, 1, 1, 1),
                    result(1, 1, 1, 1, 1),
                    result(1, 1, 1, 1, 1))));
    assertThat(c.ttftAddedP50()).isNaN();
    assertThat(c.gapAddedP99()).isNaN();
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndNanIsSkipped() {
    List<CellRun> runs =
        List.of(
            run(cell, 0, result(1, 1, 1, 1, 1), result(1, 1, 1, 1, 1), result(1, 1, 1, 1, 1)),
            run(cell, 1, result(2, 1, 1, 1, 1), result(1, 1, 1, 1, 1), result(1, 1, 1, 1, 1)),
            run(cell, 2, result(3, 1, 1, 1, 1), result(1, 1, 1, 1, 1), result(1, 1, 1, 1, 1)),
            run(cell, 3, result(10, 1, 1, 1, 1), result(1, 1, 1, 1, 1), result(1, 1, 1, 1, 1)));
    assertThat(Paired.median(runs, r -> r.of(Target.DIRECT).throughput())).isEqualTo(2.5);
    assertThat(Paired.median(runs, r -> r.repeat() == 0 ? 7 : Double.NaN)).isEqualTo(7);
    assertThat(Paired.median(List.of(), r -> 1)).isNaN();
    assertThat(Paired.ratio(1, 0)).isNaN();
  }

  @Test
  void aTargetThatDidNotRunLeavesItsFiguresEmpty() {
    Cell plain = Cell.closed(false, 64);
    CellRun withoutGateway =
        new CellRun(
            plain,
            0,
            java.util.Map.of(
                Target.DIRECT, result(1000, 1, 2, 0, 0), Target.NGINX, result(900, 1.5, 3, 0, 0)));
    CellComparison c = CellComparison.of(plain, List.of(withoutGateway));
    assertThat(c.gatewayThroughput()).isNaN();
    assertThat(c.gatewayAddedP50()).isNaN();
    assertThat(c.throughputRatioToNginx()).isNaN();
    assertThat(c.gatewayRssMb()).isNaN();
    assertThat(c.nginxAddedP50()).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void namesCellsByKindAndLoad() {
    assertThat(Cell.closed(false, 64).name()).isEqualTo("1KB c=64");
    assertThat(Cell.closed(true, 1).name()).isEqualTo("stream-64 c=1");
    assertThat(new Cell(false, 64, 500, false).name()).isEqualTo("1KB open 500/s (pool 64)");
    assertThat(new Cell(true, 1, 0, true).name()).isEqualTo("stream-64-paced c=1");
  }
}
