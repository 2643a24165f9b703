package io.dormouse.gateway.ratelimit;

import java.time.Clock;
import java.time.Instant;

/** A monotonic count of nanoseconds: the only time the buckets read. */
@FunctionalInterface
public interface NanoClock {

  long nanos();

  static NanoClock system() {
    return System::nanoTime;
  }

  /** Nanoseconds of a {@link Clock}'s instants (tests move it by hand). */
  static NanoClock of(Clock clock) {
    return () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }
}
