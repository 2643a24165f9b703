package io.dormouse.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.bench.matrix.CellComparison;
import io.dormouse.bench.wake.WakeResult;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetChecksTest {

  static CellComparison cell(
      String name,
      boolean streaming,
      int concurrency,
      double addedP50,
      double addedP99,
      double tputRatio,
      double p99Ratio,
      double ttftAdded,
      double gwReads) {
    return new CellComparison(
        name,
        streaming,
        concurrency,
        0,
        3,
        1000,
        900,
        950,
        1,
        2,
        3,
        1,
        2,
        3,
        1,
        2,
        3,
        addedP50,
        addedP99,
        0.5,
        0.01,
        0.02,
        tputRatio,
        p99Ratio,
        ttftAdded,
        ttftAdded * 2,
        0.001,
        0.002,
        50,
        50,
        50,
        gwReads,
        40,
        0.8,
        250,
        0,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN);
  }

  private static List<TargetCheck> checks(
      double addedP50,
      double addedP99,
      double tputRatio,
      double p99Ratio,
      double ttft,
      double gwReads,
      double heapMb,
      double leaseMs,
      double scaleMs,
      double readyMs) {
    List<CellComparison> cells =
        List.of(
            cell("1KB c=1", false, 1, addedP50, addedP99, 1, 1, Double.NaN, 0),
            cell("1KB c=64", false, 64, 0, 0, tputRatio, p99Ratio, Double.NaN, 0),
            cell("stream-64 c=1", true, 1, 0, 0, 1, 1, ttft, 50),
            cell("stream-64-paced c=1", true, 1, 0, 0, 1, 1, ttft, gwReads));
    WakeResult wake =
        new WakeResult("harness", 3, leaseMs, scaleMs, readyMs, 1000, 1000, 0, 1, heapMb, 30, 2);
    return TargetChecks.evaluate(cells, wake);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "all within targets,     0.05, 0.4, 0.9, 1.1, 0.5, 50, 10, 5, 30, 4, 9, 0",
    "added P50 over,         0.2,  0.4, 0.9, 1.1, 0.5, 50, 10, 5, 30, 4, 8, 1",
    "slow at 64 and streams, 0.05, 0.4, 0.7, 1.3, 2.0, 50, 10, 5, 30, 4, 6, 3",
    "chunks coalesced,       0.05, 0.4, 0.9, 1.1, 0.5, 10, 10, 5, 30, 4, 8, 1",
    "wake misses,            0.05, 0.4, 0.9, 1.1, 0.5, 50, 25, 5, 60, 25, 6, 3",
  })
  void judgesEachTarget(
      String name,
      double addedP50,
      double addedP99,
      double tputRatio,
      double p99Ratio,
      double ttft,
      double gwReads,
      double heapMb,
      double leaseMs,
      double scaleMs,
      double readyMs,
      int met,
      int missed) {
    var all =
        checks(
            addedP50, addedP99, tputRatio, p99Ratio, ttft, gwReads, heapMb, leaseMs, scaleMs,
            readyMs);
    assertThat(all).hasSize(9);
    assertThat(all.stream().filter(t -> Boolean.TRUE.equals(t.met()))).hasSize(met);
    assertThat(all.stream().filter(t -> Boolean.FALSE.equals(t.met()))).hasSize(missed);
  }

  @ParameterizedTest
  @CsvSource({"NaN, 10, true", "60, 10, false"})
  void scaleUpTargetUsesTheDeploymentWriteWhenTheRealOperatorRan(
      double scaleMs, double leaseMs, boolean met) {
    WakeResult wake = new WakeResult("x", 1, leaseMs, scaleMs, 1, 1000, 1000, 0, 1, 1, 1, 1);
    TargetCheck scale =
        TargetChecks.evaluate(List.of(), wake).stream()
            .filter(t -> t.target().startsWith("cold request"))
            .findFirst()
            .orElseThrow();
    assertThat(scale.met()).isEqualTo(met);
    assertThat(scale.measured())
        .contains(Double.isNaN(scaleMs) ? "the harness played the operator" : "Deployment write");
  }

  @ParameterizedTest
  @CsvSource({"true", "false"})
  void unmeasuredTargetsAreSaidToBeSo(boolean withWake) {
    WakeResult wake = withWake ? new WakeResult("x", 1, 1, 1, 1, 1000, 1000, 0, 1, 1, 1, 1) : null;
    List<TargetCheck> all = TargetChecks.evaluate(List.of(), wake);
    assertThat(all).hasSize(9);
    assertThat(all.stream().filter(t -> t.met() == null)).hasSize(withWake ? 6 : 9);
    assertThat(all.stream().filter(t -> t.met() == null).map(TargetCheck::verdict))
        .containsOnly("not measured");
  }
}
