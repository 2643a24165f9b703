package io.dormouse.bench.matrix;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Paired statistics: a figure is computed within each repeat (where the targets ran back to back
 * under the same machine noise), then the median across repeats is reported.
 */
public final class Paired {

  private Paired() {}

  public static double median(List<CellRun> runs, ToDoubleFunction<CellRun> perRun) {
    double[] values =
        runs.stream().mapToDouble(perRun).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  /** {@code a / b}, or NaN when {@code b} is 0 (no throughput, nothing to compare). */
  public static double ratio(double a, double b) {
    return b == 0 ? Double.NaN : a / b;
  }
}
