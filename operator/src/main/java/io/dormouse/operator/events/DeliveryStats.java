package io.dormouse.operator.events;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the dispatcher saw of each subscriber, for its Webhook's status. */
public final class DeliveryStats {

  /**
   * One subscriber's deliveries.
   *
   * @param goneGeneration the generation a 410 answer disabled, or null
   */
  public record Stat(
      Instant lastSuccess,
      int consecutiveFailures,
      String lastError,
      int pending,
      int deadLettered,
      Long goneGeneration) {

    static final Stat NONE = new Stat(null, 0, null, 0, 0, null);
  }

  private final Map<String, Stat> bySubscriber = new ConcurrentHashMap<>();

  public Stat of(String subscriber) {
    return bySubscriber.getOrDefault(subscriber, Stat.NONE);
  }

  void delivered(String s, Instant at) {
    bySubscriber.compute(
        s,
        (k, v) -> {
          Stat o = v == null ? Stat.NONE : v;
          return new Stat(at, 0, null, o.pending(), 0, o.goneGeneration());
        });
  }

  void failed(String s, String error, boolean deadLettered) {
    bySubscriber.compute(
        s,
        (k, v) -> {
          Stat o = v == null ? Stat.NONE : v;
          return new Stat(
              o.lastSuccess(),
              o.consecutiveFailures() + 1,
              error,
              o.pending(),
              o.deadLettered() + (deadLettered ? 1 : 0),
              o.goneGeneration());
        });
  }

  void gone(String s, long generation) {
    bySubscriber.compute(
        s,
        (k, v) -> {
          Stat o = v == null ? Stat.NONE : v;
          return new Stat(
              o.lastSuccess(), o.consecutiveFailures() + 1, "HTTP 410 Gone", 0, 0, generation);
        });
  }

  void pending(Map<String, Integer> counts) {
    bySubscriber.replaceAll(
        (k, o) ->
            new Stat(
                o.lastSuccess(),
                o.consecutiveFailures(),
                o.lastError(),
                counts.getOrDefault(k, 0),
                o.deadLettered(),
                o.goneGeneration()));
    counts.forEach((k, n) -> bySubscriber.putIfAbsent(k, new Stat(null, 0, null, n, 0, null)));
  }
}
