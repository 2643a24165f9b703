package io.dormouse.gateway.ratelimit;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code x-ratelimit-*} values after a decision. Limits are per second (this gateway replica's
 * share); resets are how long until each bucket is full again, except on a refusal, where the
 * refusing limit's reset is how long until this request would fit: the wait that {@code
 * retry-after-ms} tells too.
 */
public record RateLimitState(
    double limitRequests,
    long remainingRequests,
    Duration resetRequests,
    double limitTokens,
    long remainingTokens,
    Duration resetTokens) {

  /** The state a refusal by {@code kind} reports: that limit resets when the request would fit. */
  public RateLimitState refusedBy(LimitKind kind, Duration wait) {
    return kind == LimitKind.requests
        ? new RateLimitState(
            limitRequests, remainingRequests, wait, limitTokens, remainingTokens, resetTokens)
        : new RateLimitState(
            limitRequests, remainingRequests, resetRequests, limitTokens, remainingTokens, wait);
  }

  public Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("x-ratelimit-limit-requests", number(limitRequests));
    h.put("x-ratelimit-remaining-requests", Long.toString(remainingRequests));
    h.put("x-ratelimit-reset-requests", reset(resetRequests));
    h.put("x-ratelimit-limit-tokens", number(limitTokens));
    h.put("x-ratelimit-remaining-tokens", Long.toString(remainingTokens));
    h.put("x-ratelimit-reset-tokens", reset(resetTokens));
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
    long ms = Math.max(0, (d.toNanos() + 999_999) / 1_000_000);
    if (ms < 1000) {
      return ms + "ms";
    }
    long minutes = ms / 60_000;
    String seconds = BigDecimal.valueOf(ms % 60_000, 3).stripTrailingZeros().toPlainString() + "s";
    return minutes == 0 ? seconds : minutes + "m" + seconds;
  }
}
