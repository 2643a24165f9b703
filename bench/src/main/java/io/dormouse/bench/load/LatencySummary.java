package io.dormouse.bench.load;

import org.HdrHistogram.Histogram;

/** Percentiles of one histogram recorded in microseconds, reported in milliseconds. */
public record LatencySummary(
    long count, double p50Ms, double p99Ms, double p999Ms, double maxMs, double meanMs) {

  public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0);

  public static LatencySummary of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return EMPTY;
    }
    return new LatencySummary(
        micros.getTotalCount(),
        ms(micros.getValueAtPercentile(50)),
        ms(micros.getValueAtPercentile(99)),
        ms(micros.getValueAtPercentile(99.9)),
        ms(micros.getMaxValue()),
        micros.getMean() / 1000.0);
  }

  /** A histogram fit for request latencies: 1 µs to 10 minutes at 3 significant digits. */
  public static Histogram newMicrosHistogram() {
    return new Histogram(1, 600_000_000L, 3);
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }
}
