package io.dormouse.operator.events;

import java.time.Duration;
import java.time.Instant;

/**
 * When a failed delivery is tried again: exponential from {@code first}, capped at {@code max},
 * with "equal jitter" (half fixed, half random) so that a receiver back up is not hit by every
 * subscriber's retries in the same instant; given up once the event is {@code giveUpAfter} old.
 */
public record RetrySchedule(Duration first, Duration max, Duration giveUpAfter) {

  public static final RetrySchedule DEFAULT =
      new RetrySchedule(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(24));

  public RetrySchedule {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("0 < first <= max");
    }
  }

  /**
   * The wait after the {@code attempts}-th failed attempt.
   *
   * @param jitter uniform in [0, 1)
   */
  public Duration delay(int attempts, double jitter) {
    long maxMs = max.toMillis();
    long base = first.toMillis();
    for (int i = 1; i < attempts && base < maxMs; i++) {
      base *= 2;
    }
    base = Math.min(base, maxMs);
    long half = base / 2;
    return Duration.ofMillis(base - half + (long) (half * Math.max(0, Math.min(jitter, 1))));
  }

  /** Whether an event created at {@code createdAt} is past retrying at {@code now}. */
  public boolean givenUp(Instant createdAt, Instant now) {
    return !now.isBefore(createdAt.plus(giveUpAfter));
  }
}
