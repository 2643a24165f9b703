package io.dormouse.gateway.ratelimit;

import java.time.Duration;

/**
 * The outcome of asking for a request's share of the limits.
 *
 * @param refusedBy the limit that refused, or null when admitted
 * @param retryAfterNanos how long to wait before retrying when refused
 * @param reservedTokens tokens taken now, settled later against real usage
 */
public record Admission(
    LimitKind refusedBy, long retryAfterNanos, long reservedTokens, RateLimitState state) {

  public boolean admitted() {
    return refusedBy == null;
  }

  public Duration retryAfter() {
    return Duration.ofNanos(retryAfterNanos);
  }
}
