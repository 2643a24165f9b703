package io.dormouse.bench.report;

import io.dormouse.bench.matrix.CellComparison;
import io.dormouse.bench.wake.WakeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/** Issue 7's targets, judged against a run's figures. */
public final class TargetChecks {

  private TargetChecks() {}

  public static List<TargetCheck> evaluate(List<CellComparison> cells, WakeResult wake) {
    List<TargetCheck> checks = new ArrayList<>();
    Optional<CellComparison> c1 = find(cells, c -> !c.streaming() && closedAt(c, 1));
    Optional<CellComparison> c64 = find(cells, c -> !c.streaming() && closedAt(c, 64));
    Optional<CellComparison> s1 = find(cells, c -> c.streaming() && closedAt(c, 1) && !paced(c));
    Optional<CellComparison> paced =
        find(cells, CellComparison::streaming, TargetChecks::paced).or(() -> s1);

    checks.add(
        check(
            "c=1, 1 KB: added latency P50 ≤ 0.1 ms",
            c1.map(CellComparison::gatewayAddedP50),
            v -> v <= 0.1,
            "%.3f ms"));
    checks.add(
        check(
            "c=1, 1 KB: added latency P99 ≤ 0.5 ms",
            c1.map(CellComparison::gatewayAddedP99),
            v -> v <= 0.5,
            "%.3f ms"));
    checks.add(
        check(
            "c=64, 1 KB: throughput ≥ 0.8× nginx's",
            c64.map(CellComparison::throughputRatioToNginx),
            v -> v >= 0.8,
            "%.2f×"));
    checks.add(
        check(
            "c=64, 1 KB: P99 ≤ 1.25× nginx's",
            c64.map(CellComparison::p99RatioToNginx),
            v -> v <= 1.25,
            "%.2f×"));
    checks.add(
        check(
            "streaming c=1: time to first token added ≤ 1 ms (P50)",
            s1.map(CellComparison::ttftAddedP50),
            v -> v <= 1.0,
            "%.3f ms"));
    checks.add(coalescing(paced));
    if (wake == null) {
      checks.add(new TargetCheck("1000 waiting requests hold ≤ 20 MB", "not run", null));
      checks.add(new TargetCheck("cold request → scale-up write ≤ 50 ms", "not run", null));
      checks.add(new TargetCheck("backend ready → first byte forwarded ≤ 20 ms", "not run", null));
    } else {
      checks.add(
          check(
              "1000 waiting requests hold ≤ 20 MB",
              Optional.of(wake.heapPerThousandWaitersMb()),
              v -> v <= 20,
              "%.1f MB (heap after GC)"));
      checks.add(scaleUpWrite(wake));
      checks.add(
          check(
              "backend ready → first byte forwarded ≤ 20 ms",
              Optional.of(wake.readyToFirstByteMs()),
              v -> v <= 20,
              "%.1f ms"));
    }
    return checks;
  }

  private static TargetCheck scaleUpWrite(WakeResult wake) {
    String target = "cold request → scale-up write ≤ 50 ms";
    if (!Double.isNaN(wake.coldToScaleWriteMs())) {
      return check(
          target,
          Optional.of(wake.coldToScaleWriteMs()),
          v -> v <= 50,
          "%.1f ms to the Deployment write (Lease write at "
              + String.format(Locale.ROOT, "%.1f", wake.coldToLeaseWriteMs())
              + " ms)");
    }
    return check(
        target,
        Optional.of(wake.coldToLeaseWriteMs()),
        v -> v <= 50,
        "%.1f ms to the Lease write (the gateway's half; the harness played the operator)");
  }

  private static TargetCheck coalescing(Optional<CellComparison> cell) {
    String target = "streaming coalesces no chunks";
    if (cell.isEmpty()) {
      return new TargetCheck(target, "not run", null);
    }
    CellComparison c = cell.get();
    boolean allEvents = c.gatewayEventsPerResponse() >= c.directEventsPerResponse();
    boolean separateReads = c.gatewayReadsPerResponse() >= 0.95 * c.directReadsPerResponse();
    return new TargetCheck(
        target,
        String.format(
            Locale.ROOT,
            "%s: events/response %.1f direct, %.1f gateway; reads/response %.1f direct, %.1f gateway",
            c.cell(),
            c.directEventsPerResponse(),
            c.gatewayEventsPerResponse(),
            c.directReadsPerResponse(),
            c.gatewayReadsPerResponse()),
        allEvents && separateReads);
  }

  private static TargetCheck check(
      String target, Optional<Double> value, Predicate<Double> goal, String format) {
    if (value.isEmpty() || value.get().isNaN()) {
      return new TargetCheck(target, "not run", null);
    }
    return new TargetCheck(
        target, String.format(Locale.ROOT, format, value.get()), goal.test(value.get()));
  }

  @SafeVarargs
  private static Optional<CellComparison> find(
      List<CellComparison> cells, Predicate<CellComparison>... all) {
    return cells.stream()
        .filter(c -> java.util.Arrays.stream(all).allMatch(p -> p.test(c)))
        .findFirst();
  }

  private static boolean closedAt(CellComparison c, int concurrency) {
    return c.ratePerSecond() == 0 && c.concurrency() == concurrency;
  }

  private static boolean paced(CellComparison c) {
    return c.cell().contains("paced");
  }
}
