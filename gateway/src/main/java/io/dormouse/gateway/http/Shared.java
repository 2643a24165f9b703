package io.dormouse.gateway.http;

import io.dormouse.gateway.auth.KeyStore;
import io.dormouse.gateway.fleet.Fleet;
import io.dormouse.gateway.ratelimit.ProjectLimiter;
import io.dormouse.gateway.routing.EndpointRef;
import io.dormouse.gateway.stages.account.Account;
import io.dormouse.gateway.usage.GatewayMetrics;
import io.dormouse.gateway.usage.RequestIds;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What every event loop's API shares: the cluster view, the buckets, the keys, accounting, and the
 * count of requests in flight. Each part is safe from any thread on its own terms.
 */
final class Shared {

  private final Vertx vertx;
  private final GatewayServer.Config config;
  private final KeyStore keys;
  private final Fleet fleet;
  private final ProjectLimiter limiter;
  private final GatewayMetrics metrics;
  private final Account account;
  private final Consumer<EndpointRef> wakeSignal;
  private final Clock clock;
  private final LingeringClose lingeringClose;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final RequestIds requestIds = new RequestIds();
  private volatile boolean draining;

  Shared(
      Vertx vertx,
      GatewayServer.Config config,
      KeyStore keys,
      Fleet fleet,
      ProjectLimiter limiter,
      GatewayMetrics metrics,
      Account account,
      Consumer<EndpointRef> wakeSignal,
      Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.keys = keys;
    this.fleet = fleet;
    this.limiter = limiter;
    this.metrics = metrics;
    this.account = account;
    this.wakeSignal = wakeSignal;
    this.clock = clock;
    this.lingeringClose =
        new LingeringClose(vertx, config.lingerBytes(), config.lingerTime().toMillis());
  }

  Vertx vertx() {
    return vertx;
  }

  GatewayServer.Config config() {
    return config;
  }

  KeyStore keys() {
    return keys;
  }

  Fleet fleet() {
    return fleet;
  }

  ProjectLimiter limiter() {
    return limiter;
  }

  GatewayMetrics metrics() {
    return metrics;
  }

  Account account() {
    return account;
  }

  Consumer<EndpointRef> wakeSignal() {
    return wakeSignal;
  }

  Clock clock() {
    return clock;
  }

  LingeringClose lingeringClose() {
    return lingeringClose;
  }

  RequestIds requestIds() {
    return requestIds;
  }

  AtomicInteger inFlight() {
    return inFlight;
  }

  boolean draining() {
    return draining;
  }

  void drain() {
    draining = true;
  }
}
