package io.dormouse.gateway.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Per (project, endpoint) request and token buckets. Each gateway replica enforces {@code limit /
 * replicas}, so the cluster-wide limit holds without a shared store. Not thread-safe: the gateway
 * calls it from its one event loop.
 */
public final class ProjectLimiter {

  /** How many seconds of the limit a bucket may hold: the largest burst. */
  static final double BURST_SECONDS = 1.0;

  private final Clock clock;
  private final Map<Key, Buckets> buckets = new HashMap<>();

  public ProjectLimiter(Clock clock) {
    this.clock = clock;
  }

  /** The share of the limits one replica enforces. */
  public record Limits(double requestsPerSecond, double tokensPerSecond) {
    public Limits share(int replicas) {
      int n = Math.max(1, replicas);
      return new Limits(requestsPerSecond / n, tokensPerSecond / n);
    }
  }

  private record Key(String project, String endpoint) {}

  private static final class Buckets {
    final TokenBucket requests;
    final TokenBucket tokens;

    Buckets(Limits limits, Instant now) {
      requests =
          new TokenBucket(limits.requestsPerSecond(), capacity(limits.requestsPerSecond()), now);
      tokens = new TokenBucket(limits.tokensPerSecond(), capacity(limits.tokensPerSecond()), now);
    }

    void adjust(Limits limits, Instant now) {
      if (requests.rate() != limits.requestsPerSecond()) {
        requests.reconfigure(limits.requestsPerSecond(), capacity(limits.requestsPerSecond()), now);
      }
      if (tokens.rate() != limits.tokensPerSecond()) {
        tokens.reconfigure(limits.tokensPerSecond(), capacity(limits.tokensPerSecond()), now);
      }
    }
  }

  static double capacity(double rate) {
    return Math.max(1.0, rate * BURST_SECONDS);
  }

  /**
   * Takes one request and {@code estimatedTokens} (prompt estimate + max_tokens) or refuses.
   * Nothing is taken when refused.
   */
  public Admission admit(String project, String endpoint, Limits share, long estimatedTokens) {
    Instant now = clock.instant();
    Buckets b = buckets.computeIfAbsent(new Key(project, endpoint), k -> new Buckets(share, now));
    b.adjust(share, now);
    if (!b.requests.canTake(1, now)) {
      return refused(LimitKind.requests, b.requests.waitFor(1, now), b, now);
    }
    if (!b.tokens.canTake(estimatedTokens, now)) {
      return refused(LimitKind.tokens, b.tokens.waitFor(estimatedTokens, now), b, now);
    }
    b.requests.tryTake(1, now);
    b.tokens.tryTake(estimatedTokens, now);
    return new Admission(null, Duration.ZERO, estimatedTokens, state(b, now));
  }

  /**
   * A refusal tells one wait, from one look at the bucket: in whole milliseconds (at least one), as
   * {@code retry-after-ms} and as the refusing limit's {@code x-ratelimit-reset-*} alike.
   */
  private static Admission refused(LimitKind kind, Duration wait, Buckets b, Instant now) {
    Duration ms = Duration.ofMillis(Math.max(1, (wait.toNanos() + 999_999) / 1_000_000));
    return new Admission(kind, ms, 0, state(b, now).refusedBy(kind, ms));
  }

  /** Settles a reservation against the tokens actually used. */
  public void settle(String project, String endpoint, long reservedTokens, long usedTokens) {
    Buckets b = buckets.get(new Key(project, endpoint));
    if (b != null) {
      b.tokens.refund(reservedTokens - usedTokens, clock.instant());
    }
  }

  private static RateLimitState state(Buckets b, Instant now) {
    return new RateLimitState(
        b.requests.rate(),
        (long) Math.max(0, Math.floor(b.requests.level(now))),
        b.requests.untilFull(now),
        b.tokens.rate(),
        (long) Math.max(0, Math.floor(b.tokens.level(now))),
        b.tokens.untilFull(now));
  }
}
