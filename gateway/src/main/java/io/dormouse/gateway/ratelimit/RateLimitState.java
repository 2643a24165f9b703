package io.dormouse.gateway.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The {@code x-ratelimit-*} values after a decision. Limits are the project's cluster-wide limits
 * per second; remaining is this replica's bucket plus what its peers last said theirs hold (an
 * estimate); resets are how long until this replica's buckets are full again.
 */
public record RateLimitState(
    double limitRequests,
    long remainingRequests,
    long resetRequestsNanos,
    double limitTokens,
    long remainingTokens,
    long resetTokensNanos) {

  public Duration resetRequests() {
    return Duration.ofNanos(resetRequestsNanos);
  }

  public Duration resetTokens() {
    return Duration.ofNanos(resetTokensNanos);
  }

  /** Writes the headers without building a map (the hot path). */
  public void forEachHeader(BiConsumer<String, String> out) {
    out.accept("x-ratelimit-limit-requests", number(limitRequests));
    out.accept("x-ratelimit-remaining-requests", Long.toString(remainingRequests));
    out.accept("x-ratelimit-reset-requests", reset(resetRequestsNanos));
    out.accept("x-ratelimit-limit-tokens", number(limitTokens));
    out.accept("x-ratelimit-remaining-tokens", Long.toString(remainingTokens));
    out.accept("x-ratelimit-reset-tokens", reset(resetTokensNanos));
  }

  public Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    forEachHeader(h::put);
    return h;
  }

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : String.format("%.2f", value);
  }

  /** OpenAI spells resets like {@code 1s} or {@code 6m0s}; milliseconds keep sub-second ones. */
  static String reset(Duration d) {
    return reset(d.toNanos());
  }

  static String reset(long nanos) {
    long ms = nanos / 1_000_000;
    if (ms < 1000) {
      return ms + "ms";
    }
    long s = (ms + 999) / 1000;
    return s < 60 ? s + "s" : (s / 60) + "m" + (s % 60) + "s";
  }
}
