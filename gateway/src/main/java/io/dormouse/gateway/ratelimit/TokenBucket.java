package io.dormouse.gateway.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket refilled at {@code rate} per second up to {@code capacity}; time comes from the
 * caller. A full bucket admits one cost larger than its capacity and goes into debt, so a request
 * bigger than a second's worth is slowed down rather than refused forever, and the long-run rate
 * still holds.
 */
public final class TokenBucket {

  /** Refill arithmetic in doubles loses a few ulps; a token a billionth short is a whole one. */
  private static final double EPSILON = 1e-6;

  private double rate;
  private double capacity;
  private double level;
  private Instant at;

  public TokenBucket(double ratePerSecond, double capacity, Instant now) {
    this.rate = ratePerSecond;
    this.capacity = capacity;
    this.level = capacity;
    this.at = now;
  }

  /** Changes the rate and capacity (a new limit, or a new number of gateway replicas). */
  public void reconfigure(double ratePerSecond, double newCapacity, Instant now) {
    refill(now);
    this.rate = ratePerSecond;
    this.capacity = newCapacity;
    this.level = Math.min(level, newCapacity);
  }

  /** Whether {@code cost} is available now (or the bucket is full). */
  public boolean canTake(double cost, Instant now) {
    refill(now);
    return level + EPSILON >= cost || level + EPSILON >= capacity;
  }

  /** Takes {@code cost} when available (or the bucket is full) and says whether it did. */
  public boolean tryTake(double cost, Instant now) {
    if (canTake(cost, now)) {
      level -= cost;
      return true;
    }
    return false;
  }

  /** Puts back what a settled request did not use (negative: takes what it used beyond). */
  public void refund(double amount, Instant now) {
    refill(now);
    level = Math.min(capacity, level + amount);
  }

  /** How long until {@code cost} could be taken. */
  public Duration waitFor(double cost, Instant now) {
    refill(now);
    double needed = Math.min(cost, capacity) - level;
    return needed <= 0 ? Duration.ZERO : seconds(needed / rate);
  }

  /** How long until the bucket is full again. */
  public Duration untilFull(Instant now) {
    refill(now);
    return seconds(Math.max(0, capacity - level) / rate);
  }

  public double level(Instant now) {
    refill(now);
    return level;
  }

  public double rate() {
    return rate;
  }

  public double capacity() {
    return capacity;
  }

  private void refill(Instant now) {
    if (now.isAfter(at)) {
      double elapsed = Duration.between(at, now).toNanos() / 1e9;
      level = Math.min(capacity, level + elapsed * rate);
      at = now;
    }
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos((long) Math.ceil(s * 1e9));
  }
}
