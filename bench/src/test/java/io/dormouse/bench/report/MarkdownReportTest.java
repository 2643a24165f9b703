package io.dormouse.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.bench.matrix.CellComparison;
import io.dormouse.bench.operatorscale.OperatorScaleResult;
import io.dormouse.bench.wake.WakeResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

  private final CellComparison plain =
      TargetChecksTest.cell("1KB c=1", false, 1, 0.05, 0.4, 0.9, 1.1, Double.NaN, 0);
  private final CellComparison stream =
      TargetChecksTest.cell("stream-64 c=1", true, 1, 0.05, 0.4, 0.9, 1.1, 0.25, 51);
  private final WakeResult wake =
      new WakeResult("operator", 10, 12.5, 40.25, 8.0, 1000, 1000, 0, 1, 6.6, 8.9, 2.5);
  private final OperatorScaleResult operator =
      new OperatorScaleResult(1000, 44.7, 1000, 1000, 1000, 65, 0.02, 1000, 1300, 0.08, 415);

  private String render(WakeResult w, OperatorScaleResult o) {
    List<CellComparison> cells = List.of(plain, stream);
    return MarkdownReport.render(
        new BenchReport(
            "quick",
            "2026-11-22T09:00:00Z",
            new Machine(2, "AMD EPYC", 24105, "OpenJDK 17", "Linux", 9.5),
            cells,
            w,
            o,
            null,
            TargetChecks.evaluate(cells, w),
            List.of("a note")));
  }

  @Test
  void rendersEveryCellOnceInTheLatencyTableAndStreamsInTheStreamingTable() {
    String md = render(wake, operator);
    assertThat(md).contains("Mode: `quick`", "2 CPUs (AMD EPYC)", "24105 MB", "load average 9.5");
    assertThat(md).contains("| 1KB c=1 | 1000 | 900 | 950 | 0.90 |");
    assertThat(md).contains("| stream-64 c=1 | 0.250 / 0.500 |");
    assertThat(md.split("\n### Streaming")[1].split("\n### Against nginx")[0])
        .doesNotContain("1KB c=1");
  }

  @Test
  void rendersWakeOperatorTargetsAndNotes() {
    String md = render(wake, operator);
    assertThat(md)
        .contains("### Wake path (the real operator process; medians over 10 cold wakes)")
        .contains("| cold request → Deployment scale write (median) | 40.3 ms |")
        .contains("| gateway heap per 1000 waiting (after GC) | 6.6 MB |")
        .contains("| Hibernated / Deployments / Services | 1000 / 1000 / 1000 |")
        .contains("| CPU per reconcile | 1300 µs |")
        .contains("| 1000 waiting requests hold ≤ 20 MB | 6.6 MB (heap after GC) | met |")
        .contains("- a note");
  }

  @Test
  void leavesOutWhatDidNotRunAndShowsMissingFiguresAsDashes() {
    String md = render(null, null);
    assertThat(md).doesNotContain("### Wake path", "### Operator scale");
    assertThat(md).contains("| cold request → scale-up write ≤ 50 ms | not run | not measured |");
    assertThat(MarkdownReport.f3(Double.NaN)).isEqualTo("–");
  }
}
