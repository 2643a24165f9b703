package io.dormouse.gateway.ratelimit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per (project, endpoint) request and token buckets, holding this gateway replica's share of the
 * project's cluster-wide limits. The share follows this replica's demand against its peers' (set by
 * {@link #share}); until a share is known it is {@code 1 / replicas}. Safe from any thread: each
 * (project, endpoint) has its own lock, and there is no lock over all of them.
 */
public final class ProjectLimiter {

  /** How many seconds of the limit a bucket may hold: the largest burst. */
  static final double BURST_SECONDS = 1.0;

  /** How fast measured demand forgets: the weight of the old rate per second elapsed. */
  private static final double DEMAND_TIME_CONSTANT_SECONDS = 0.5;

  private final NanoClock clock;
  private final Map<Key, Buckets> buckets = new ConcurrentHashMap<>();
  private volatile double defaultShare = 1.0;

  public ProjectLimiter(NanoClock clock) {
    this.clock = clock;
  }

  public ProjectLimiter(Clock clock) {
    this(NanoClock.of(clock));
  }

  /** The cluster-wide limits of a project on an endpoint. */
  public record Limits(double requestsPerSecond, double tokensPerSecond) {
    /** An even share among {@code replicas}: what each enforces when it knows nothing better. */
    public Limits share(int replicas) {
      int n = Math.max(1, replicas);
      return new Limits(requestsPerSecond / n, tokensPerSecond / n);
    }
  }

  /** The key of one project's buckets on one endpoint. */
  public record Key(String project, String endpoint) {}

  /**
   * This replica's recent demand on one key, for its peers.
   *
   * @param requests requests per second asked for (admitted or not), smoothed
   * @param tokens tokens per second asked for, smoothed
   */
  public record Demand(
      Key key,
      double requests,
      double tokens,
      long remainingRequests,
      long remainingTokens,
      Limits limits) {}

  private static final class Buckets {
    final TokenBucket requests;
    final TokenBucket tokens;
    Limits limits;
    double requestShare = Double.NaN; // NaN: the default share applies
    double tokenShare = Double.NaN;
    long peersRemainingRequests;
    long peersRemainingTokens;
    long askedRequests;
    long askedTokens;
    double requestRate;
    double tokenRate;
    long measuredAt;

    Buckets(Limits limits, double share, long now) {
      this.limits = limits;
      double r = limits.requestsPerSecond() * share;
      double t = limits.tokensPerSecond() * share;
      requests = new TokenBucket(r, capacity(r), now);
      tokens = new TokenBucket(t, capacity(t), now);
      measuredAt = now;
    }

    void adjust(Limits cluster, double defaultShare, long now) {
      limits = cluster;
      double r =
          cluster.requestsPerSecond() * (Double.isNaN(requestShare) ? defaultShare : requestShare);
      double t = cluster.tokensPerSecond() * (Double.isNaN(tokenShare) ? defaultShare : tokenShare);
      if (requests.rate() != r) {
        requests.reconfigure(r, capacity(r), now);
      }
      if (tokens.rate() != t) {
        tokens.reconfigure(t, capacity(t), now);
      }
    }
  }

  static double capacity(double rate) {
    return Math.max(1.0, rate * BURST_SECONDS);
  }

  /** The share of every limit a replica takes while it knows nothing of its peers' demand. */
  public void defaultShare(int replicas) {
    defaultShare = 1.0 / Math.max(1, replicas);
  }

  /**
   * Takes one request and {@code estimatedTokens} (prompt estimate + max_tokens) from this
   * replica's share of {@code cluster}, or refuses. Nothing is taken when refused.
   */
  public Admission admit(String project, String endpoint, Limits cluster, long estimatedTokens) {
    long now = clock.nanos();
    Key key = new Key(project, endpoint);
    Buckets b = buckets.get(key);
    if (b == null) {
      b = buckets.computeIfAbsent(key, k -> new Buckets(cluster, defaultShare, now));
    }
    synchronized (b) {
      b.adjust(cluster, defaultShare, now);
      b.askedRequests++;
      b.askedTokens += estimatedTokens;
      if (!b.requests.canTake(1, now)) {
        return refused(LimitKind.requests, b.requests.waitFor(1, now), b, now);
      }
      if (!b.tokens.canTake(estimatedTokens, now)) {
        return refused(LimitKind.tokens, b.tokens.waitFor(estimatedTokens, now), b, now);
      }
      b.requests.tryTake(1, now);
      b.tokens.tryTake(estimatedTokens, now);
      return new Admission(null, 0, estimatedTokens, state(b, now));
    }
  }

  /**
   * A refusal tells one wait, from one look at the bucket: in whole milliseconds (at least one), as
   * {@code retry-after-ms} and as the refusing limit's {@code x-ratelimit-reset-*} alike.
   */
  private static Admission refused(LimitKind kind, long waitNanos, Buckets b, long now) {
    long ms = Math.max(1, (waitNanos + 999_999) / 1_000_000) * 1_000_000;
    return new Admission(kind, ms, 0, state(b, now).refusedBy(kind, ms));
  }

  /** Settles a reservation against the tokens actually used. */
  public void settle(String project, String endpoint, long reservedTokens, long usedTokens) {
    Buckets b = buckets.get(new Key(project, endpoint));
    if (b != null) {
      long now = clock.nanos();
      synchronized (b) {
        b.tokens.refund(reservedTokens - usedTokens, now);
      }
    }
  }

  /**
   * Every key's demand since the last call, smoothed, with what its buckets hold: what this replica
   * tells its peers. Keys nobody asked for in a long while are dropped.
   */
  public List<Demand> demand() {
    long now = clock.nanos();
    List<Demand> out = new ArrayList<>(buckets.size());
    for (var e : buckets.entrySet()) {
      Buckets b = e.getValue();
      synchronized (b) {
        double seconds = (now - b.measuredAt) / 1e9;
        if (seconds > 0) {
          double keep = Math.exp(-seconds / DEMAND_TIME_CONSTANT_SECONDS);
          b.requestRate = keep * b.requestRate + (1 - keep) * b.askedRequests / seconds;
          b.tokenRate = keep * b.tokenRate + (1 - keep) * b.askedTokens / seconds;
          b.askedRequests = 0;
          b.askedTokens = 0;
          b.measuredAt = now;
        }
        out.add(
            new Demand(
                e.getKey(),
                b.requestRate,
                b.tokenRate,
                (long) Math.max(0, Math.floor(b.requests.level(now))),
                (long) Math.max(0, Math.floor(b.tokens.level(now))),
                b.limits));
      }
    }
    return out;
  }

  /**
   * Sets this replica's share of a key's limits (fractions of the cluster-wide limit) and what its
   * peers' buckets hold, for the remaining headers.
   */
  public void share(
      Key key,
      double requestShare,
      double tokenShare,
      long peersRemainingRequests,
      long peersRemainingTokens) {
    Buckets b = buckets.get(key);
    if (b == null) {
      return;
    }
    synchronized (b) {
      b.requestShare = requestShare;
      b.tokenShare = tokenShare;
      b.peersRemainingRequests = peersRemainingRequests;
      b.peersRemainingTokens = peersRemainingTokens;
      b.adjust(b.limits, defaultShare, clock.nanos());
    }
  }

  /** Forgets every share learnt from peers: each key falls back to the default share. */
  public void forgetShares() {
    for (Buckets b : buckets.values()) {
      synchronized (b) {
        b.requestShare = Double.NaN;
        b.tokenShare = Double.NaN;
        b.peersRemainingRequests = 0;
        b.peersRemainingTokens = 0;
      }
    }
  }

  private static RateLimitState state(Buckets b, long now) {
    return new RateLimitState(
        b.limits.requestsPerSecond(),
        (long) Math.max(0, Math.floor(b.requests.level(now))) + b.peersRemainingRequests,
        b.requests.untilFull(now),
        b.limits.tokensPerSecond(),
        (long) Math.max(0, Math.floor(b.tokens.level(now))) + b.peersRemainingTokens,
        b.tokens.untilFull(now));
  }
}
