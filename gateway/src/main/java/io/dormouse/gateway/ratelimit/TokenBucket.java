package io.dormouse.gateway.ratelimit;

/**
 * A token bucket refilled at {@code rate} per second up to {@code capacity}; time comes from the
 * caller as a monotonic count of nanoseconds, so a decision allocates nothing. A full bucket admits
 * one cost larger than its capacity and goes into debt, so a request bigger than a second's worth
 * is slowed down rather than refused forever, and the long-run rate still holds.
 */
public final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1e9;

  /** Refill arithmetic in doubles loses a few ulps; a token a billionth short is a whole one. */
  private static final double EPSILON = 1e-6;

  private double rate;
  private double capacity;
  private double level;
  private long at;

  public TokenBucket(double ratePerSecond, double capacity, long nowNanos) {
    this.rate = ratePerSecond;
    this.capacity = capacity;
    this.level = capacity;
    this.at = nowNanos;
  }

  /** Changes the rate and capacity (a new limit, or a new share of it); never raises the level. */
  public void reconfigure(double ratePerSecond, double newCapacity, long nowNanos) {
    refill(nowNanos);
    this.rate = ratePerSecond;
    this.capacity = newCapacity;
    this.level = Math.min(level, newCapacity);
  }

  /** Whether {@code cost} is available now (or the bucket is full). */
  public boolean canTake(double cost, long nowNanos) {
    refill(nowNanos);
    return level + EPSILON >= cost || level + EPSILON >= capacity;
  }

  /** Takes {@code cost} when available (or the bucket is full) and says whether it did. */
  public boolean tryTake(double cost, long nowNanos) {
    if (canTake(cost, nowNanos)) {
      level -= cost;
      return true;
    }
    return false;
  }

  /** Puts back what a settled request did not use (negative: takes what it used beyond). */
  public void refund(double amount, long nowNanos) {
    refill(nowNanos);
    level = Math.min(capacity, level + amount);
  }

  /** Nanoseconds until {@code cost} could be taken. */
  public long waitFor(double cost, long nowNanos) {
    refill(nowNanos);
    double needed = Math.min(cost, capacity) - level;
    return needed <= 0 ? 0 : nanos(needed / rate);
  }

  /** Nanoseconds until the bucket is full again. */
  public long untilFull(long nowNanos) {
    refill(nowNanos);
    return nanos(Math.max(0, capacity - level) / rate);
  }

  public double level(long nowNanos) {
    refill(nowNanos);
    return level;
  }

  public double rate() {
    return rate;
  }

  public double capacity() {
    return capacity;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - at;
    if (elapsed > 0) {
      level = Math.min(capacity, level + elapsed * rate / NANOS_PER_SECOND);
      at = nowNanos;
    }
  }

  private static long nanos(double seconds) {
    return (long) Math.ceil(seconds * NANOS_PER_SECOND);
  }
}
