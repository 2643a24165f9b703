package io.dormouse.gateway.ratelimit;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The {@code x-ratelimit-*} values after a decision. Limits are the project's cluster-wide limits
 * per second; remaining is this replica's bucket plus what its peers last said theirs hold (an
 * estimate); resets are how long until this replica's buckets are full again, except on a refusal,
 * where the refusing limit's reset is how long until this request would fit: the wait that {@code
 * retry-after-ms} tells too.
 */
public record RateLimitState(
    double limitRequests,
    long remainingRequests,
    long resetRequestsNanos,
    double limitTokens,
    long remainingTokens,
    long resetTokensNanos) {

  /** The state a refusal by {@code kind} reports: that limit resets when the request would fit. */
  public RateLimitState refusedBy(LimitKind kind, long waitNanos) {
    return kind == LimitKind.requests
        ? new RateLimitState(
            limitRequests,
            remainingRequests,
            waitNanos,
            limitTokens,
            remainingTokens,
            resetTokensNanos)
        : new RateLimitState(
            limitRequests,
            remainingRequests,
            resetRequestsNanos,
            limitTokens,
            remainingTokens,
            waitNanos);
  }

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

  /**
   * OpenAI spells resets as Go durations: {@code 250ms}, {@code 1s}, {@code 1.5s}, {@code 6m0s}.
   * Sub-second parts are kept to the millisecond, so a reset reads the same as {@code
   * retry-after-ms}; they are rounded up, never promising a reset earlier than it comes.
   */
  static String reset(Duration d) {
    return reset(d.toNanos());
  }

  static String reset(long nanos) {
    long ms = Math.max(0, (nanos + 999_999) / 1_000_000);
    if (ms < 1000) {
      return ms + "ms";
    }
    long minutes = ms / 60_000;
    String seconds = BigDecimal.valueOf(ms % 60_000, 3).stripTrailingZeros().toPlainString() + "s";
    return minutes == 0 ? seconds : minutes + "m" + seconds;
  }
}
