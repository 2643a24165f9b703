package io.dormouse.bench.ledger;

import io.dormouse.bench.load.LoadResult;
import io.dormouse.bench.matrix.CellRun;
import io.dormouse.bench.matrix.Target;
import java.util.List;
import java.util.Optional;

/**
 * What the ledger costs the gateway, from runs where the same load went through the gateway with
 * and without it, back to back in each repeat: the median of the per-repeat throughput ratios
 * (ledger on / off) and of the per-repeat differences in CPU per request. Pairing within a repeat
 * cancels most of a busy machine's drift.
 *
 * @param repeats the pairs the medians are over
 */
public record LedgerPair(
    String cell, int repeats, double throughputRatio, double cpuPerRequestAddedUs, long errors) {

  /** The bars: throughput at least 0.95 of the gateway's without, CPU up at most 5 µs. */
  public boolean meetsTargets() {
    return throughputRatio >= 0.95 && cpuPerRequestAddedUs <= 5.0;
  }

  /**
   * The pair of one cell (e.g. "1KB c=64", the plain c=64), or empty when no repeat ran
   * both.
   */
  public static Optional<LedgerPair> of(List<CellRun> runs, String cell) {
    List<CellRun> paired =
        runs.stream()
            .filter(r -> r.cell().name().equals(cell))
            .filter(r -> r.has(Target.GATEWAY) && r.has(Target.GATEWAY_LEDGER))
            .toList();
    if (paired.isEmpty()) {
      return Optional.empty();
    }
    double[] ratios = new double[paired.size()];
    double[] added = new double[paired.size()];
    long errors = 0;
    for (int i = 0; i < paired.size(); i++) {
      LoadResult off = paired.get(i).of(Target.GATEWAY);
      LoadResult on = paired.get(i).of(Target.GATEWAY_LEDGER);
      ratios[i] = off.throughput() == 0 ? 0 : on.throughput() / off.throughput();
      added[i] = on.targetCpuPerRequestUs() - off.targetCpuPerRequestUs();
      errors += off.errors() + on.errors();
    }
    return Optional.of(new LedgerPair(cell, paired.size(), median(ratios), median(added), errors));
  }

  static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  public String note() {
    return String.format(
        java.util.Locale.ROOT,
        "ledger pair (%s, %d repeats, gateway with the ledger on vs off, back to back):"
            + " throughput ratio %.3f (target >= 0.95), CPU per request %+.1f us (target <= +5),"
            + " %d errors%s",
        cell,
        repeats,
        throughputRatio,
        cpuPerRequestAddedUs,
        errors,
        meetsTargets() ? "" : " -- MISSES the issue's bars");
  }
}
