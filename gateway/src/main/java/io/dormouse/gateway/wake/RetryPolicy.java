package io.dormouse.gateway.wake;

import java.time.Duration;
import java.util.Optional;

/**
 * When a request whose engine went away is tried again. A backend that vanishes without notice (its
 * process exited before its slice said terminating) is seen by the gateway before the cluster tells
 * it: a short backoff lets the slice catch up, after which the request either finds another backend
 * or waits for a wake like any other. The request keeps its original deadline.
 */
public final class RetryPolicy {

  /** Attempts in all, the first included. */
  static final int MAX_ATTEMPTS = 4;

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

  private RetryPolicy() {}

  /**
   * The pause before the next attempt, or empty to give up.
   *
   * @param failedAttempts attempts made so far, all failed (at least 1)
   * @param untilDeadline time left before the request's wake deadline
   */
  public static Optional<Duration> backoff(int failedAttempts, Duration untilDeadline) {
    if (failedAttempts >= MAX_ATTEMPTS) {
      return Optional.empty();
    }
    Duration pause = FIRST_BACKOFF.multipliedBy(1L << (2 * (failedAttempts - 1))); // 100, 400, 1600
    if (pause.compareTo(untilDeadline) >= 0) {
      return Optional.empty();
    }
    return Optional.of(pause);
  }
}
