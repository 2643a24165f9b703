package io.dormouse.bench.load;

/**
 * When each request of an open-loop run is meant to be sent: request {@code i} at {@code start + i
 * / rate}. Latency is measured from these instants, not from the actual send, so a stalled target
 * cannot hide its stall by delaying the requests behind it (coordinated omission).
 */
public final class OpenLoopSchedule {

  private final long startNanos;
  private final double ratePerSecond;

  public OpenLoopSchedule(long startNanos, double ratePerSecond) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive, was " + ratePerSecond);
    }
    this.startNanos = startNanos;
    this.ratePerSecond = ratePerSecond;
  }

  /** The intended send time of request {@code index} (0-based). */
  public long intendedNanos(long index) {
    return startNanos + Math.round(index * 1e9 / ratePerSecond);
  }

  /** How many requests should have been sent by {@code nowNanos} (request 0 is due at start). */
  public long dueBy(long nowNanos) {
    if (nowNanos < startNanos) {
      return 0;
    }
    long due = (long) Math.floor((nowNanos - startNanos) * ratePerSecond / 1e9) + 1;
    // intendedNanos rounds, so the floor may be one off either way: it is the arbiter.
    while (due > 0 && intendedNanos(due - 1) > nowNanos) {
      due--;
    }
    while (intendedNanos(due) <= nowNanos) {
      due++;
    }
    return due;
  }
}
