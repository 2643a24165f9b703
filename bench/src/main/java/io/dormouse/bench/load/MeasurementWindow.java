package io.dormouse.bench.load;

/**
 * Warm-up, then a measured window bounded by time and by request count. A request counts when it
 * was (meant to be) sent inside the window; the window closes early once enough have been counted.
 */
public final class MeasurementWindow {

  private final long measureStartNanos;
  private final long deadlineNanos;
  private final long maxRequests;
  private long counted;
  private long closedAtNanos = Long.MIN_VALUE;

  public MeasurementWindow(
      long startNanos, long warmupNanos, long durationNanos, long maxRequests) {
    this.measureStartNanos = startNanos + warmupNanos;
    this.deadlineNanos = measureStartNanos + durationNanos;
    this.maxRequests = maxRequests;
  }

  /**
   * Whether a request sent at {@code sendNanos} is measured; counts it when it is. Call once per
   * request, in send order.
   */
  public boolean admit(long sendNanos) {
    if (sendNanos < measureStartNanos || isClosed(sendNanos)) {
      return false;
    }
    counted++;
    if (counted >= maxRequests) {
      closedAtNanos = sendNanos;
    }
    return true;
  }

  /** No request sent at or after this instant is measured, and the run should stop sending. */
  public boolean isClosed(long nowNanos) {
    return closedAtNanos != Long.MIN_VALUE || nowNanos >= deadlineNanos;
  }

  public long measureStartNanos() {
    return measureStartNanos;
  }

  /** The end of sending in the window: the deadline, or when the count was reached. */
  public long endNanos() {
    return closedAtNanos != Long.MIN_VALUE ? closedAtNanos : deadlineNanos;
  }

  public long counted() {
    return counted;
  }
}
