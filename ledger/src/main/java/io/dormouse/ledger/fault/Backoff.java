package io.dormouse.ledger.fault;

import java.time.Duration;

/** How long to wait before trying the database again after {@code failures} failures in a row. */
public final class Backoff {

  private final Duration first;
  private final Duration max;

  public Backoff(Duration first, Duration max) {
    this.first = first;
    this.max = max;
  }

  /** 0 failures → no wait; then first, 2×first, 4×first, … capped at max. */
  public Duration after(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    int shift = Math.min(failures - 1, 20);
    Duration d = first.multipliedBy(1L << shift);
    return d.compareTo(max) > 0 ? max : d;
  }
}
