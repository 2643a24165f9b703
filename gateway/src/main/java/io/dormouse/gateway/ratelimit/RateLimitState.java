package io.dormouse.gateway.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code x-ratelimit-*} values after a decision. Limits are per second (this gateway replica's
 * share); resets are how long until each bucket is full again.
 */
public record RateLimitState(
    double limitRequests,
    long remainingRequests,
    Duration resetRequests,
    double limitTokens,
    long remainingTokens,
    Duration resetTokens) {

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

  /** OpenAI spells resets like {@code 1s} or {@code 6m0s}; milliseconds keep sub-second ones. */
  static String reset(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    long s = (ms + 999) / 1000;
    return s < 60 ? s + "s" : (s / 60) + "m" + (s % 60) + "s";
  }
}
