package io.dormouse.operator.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One endpoint's load (requests in flight or queued, summed over the gateway replicas that
 * reported) as a step function: each step holds from its time until the next one; before the first
 * step, from {@code since}, the load was 0. Nothing is known before {@code since} (the operator
 * started watching then).
 */
public record LoadSeries(Instant since, List<Step> steps) {

  /** From {@code at} on, the load was {@code load}. */
  public record Step(Instant at, double load) {}

  public LoadSeries {
    steps = List.copyOf(steps);
  }

  /** No load seen since {@code since}. */
  public static LoadSeries idleSince(Instant since) {
    return new LoadSeries(since, List.of());
  }

  /** The load at {@code t}. */
  public double at(Instant t) {
    double load = 0;
    for (Step s : steps) {
      if (s.at().isAfter(t)) {
        break;
      }
      load = s.load();
    }
    return load;
  }

  /**
   * The time-weighted mean over {@code (end - window, end]}, clipped to what is known; the load at
   * {@code end} when the window is empty (the watch just started).
   */
  public double average(Instant end, Duration window) {
    Instant start = end.minus(window);
    if (start.isBefore(since)) {
      start = since;
    }
    long span = Duration.between(start, end).toMillis();
    if (span <= 0) {
      return at(end);
    }
    double area = 0;
    Instant from = start;
    double load = at(start);
    for (Step s : steps) {
      if (!s.at().isAfter(start)) {
        continue;
      }
      if (!s.at().isBefore(end)) {
        break;
      }
      area += load * Duration.between(from, s.at()).toMillis();
      from = s.at();
      load = s.load();
    }
    area += load * Duration.between(from, end).toMillis();
    return area / span;
  }
}
