package io.dormouse.gateway.http;

import io.dormouse.gateway.auth.KeyStore;
import io.dormouse.gateway.kube.FleetUpdates;
import io.dormouse.gateway.ratelimit.ProjectLimiter;
import io.dormouse.gateway.routing.EndpointRef;
import io.dormouse.gateway.usage.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API and management servers with the state behind them. Every method is called on the one
 * Vert.x context that owns this server.
 */
public final class GatewayServer {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

  /** What the servers need to know. */
  public record Config(
      String host,
      int port,
      int managementPort,
      long maxBodyBytes,
      Duration bodyTimeout,
      Duration heartbeatAfter,
      Duration heartbeatEvery,
      Duration leaseRenewEvery,
      Duration upstreamIdleTimeout,
      Duration connectionIdleTimeout) {}

  private final Vertx vertx;
  private final Config config;
  private final Fleet fleet;
  private final HttpClient upstream;
  private final ApiHandler api;
  private final ManagementServer management;
  private final IdleConnections connections;
  private HttpServer apiServer;
  private HttpServer managementServer;
  private volatile boolean accepting;

  public GatewayServer(
      Vertx vertx,
      Config config,
      KeyStore keys,
      GatewayMetrics metrics,
      Consumer<EndpointRef> wakeSignal,
      Clock clock,
      BooleanSupplier watchesSynced) {
    this.vertx = vertx;
    this.config = config;
    this.fleet = new Fleet(config.leaseRenewEvery(), metrics);
    this.connections = new IdleConnections(config.connectionIdleTimeout().toMillis());
    this.upstream =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(1024).setMaxWaitQueueSize(-1));
    this.api =
        new ApiHandler(
            vertx,
            upstream,
            keys,
            fleet,
            new ProjectLimiter(clock),
            metrics,
            wakeSignal,
            clock,
            new ApiHandler.Options(
                config.maxBodyBytes(),
                config.bodyTimeout(),
                config.heartbeatAfter(),
                config.heartbeatEvery(),
                config.upstreamIdleTimeout()),
            connections);
    this.management =
        new ManagementServer(metrics, () -> accepting && watchesSynced.getAsBoolean());
  }

  /** Where the watches deliver; call its methods on this server's context only. */
  public FleetUpdates fleet() {
    return fleet;
  }

  public Future<Void> listen() {
    HttpServerOptions apiOptions =
        new HttpServerOptions()
            .setHost(config.host())
            .setPort(config.port())
            .setTcpNoDelay(true)
            // HTTP/1.1 only: per-request connection handling (413, 408) must not hit other streams
            .setHttp2ClearTextEnabled(false);
    apiServer =
        vertx
            .createHttpServer(apiOptions)
            .connectionHandler(connections::opened)
            .requestHandler(api)
            .invalidRequestHandler(InvalidRequests::answer);
    managementServer =
        vertx
            .createHttpServer(
                new HttpServerOptions().setHost(config.host()).setPort(config.managementPort()))
            .requestHandler(management);
    return apiServer
        .listen()
        .compose(s -> managementServer.listen())
        .map(
            s -> {
              accepting = true;
              long sweepEvery = Math.max(100, config.connectionIdleTimeout().toMillis() / 4);
              vertx.setPeriodic(sweepEvery, id -> connections.sweep());
              LOG.info(
                  "gateway listening on {}:{}, management on port {}",
                  config.host(),
                  apiServer.actualPort(),
                  managementServer.actualPort());
              return null;
            });
  }

  public int port() {
    return apiServer.actualPort();
  }

  public int managementPort() {
    return managementServer.actualPort();
  }

  /** Endpoints whose activity Lease is due now. */
  public List<EndpointRef> renewalsDue(Instant now) {
    return fleet.renewalsDue(now);
  }

  /**
   * Stops taking requests (readiness fails, new requests get 503 and a closed connection, waiters
   * are sent away), lets in-flight responses finish within {@code grace}, then closes.
   */
  public Future<Void> shutdown(Duration grace) {
    accepting = false;
    if (apiServer == null || managementServer == null) {
      return upstream.close(); // never listened
    }
    api.drain();
    Promise<Void> drained = Promise.promise();
    long deadline = System.nanoTime() + grace.toNanos();
    vertx.setPeriodic(
        0,
        50,
        id -> {
          if (api.active() == 0 || System.nanoTime() > deadline) {
            vertx.cancelTimer(id);
            if (api.active() > 0) {
              LOG.warn(
                  "gateway shutdown: {} responses cut off after the grace period", api.active());
            }
            drained.tryComplete();
          }
        });
    return drained
        .future()
        .compose(v -> apiServer.close())
        .compose(v -> managementServer.close())
        .compose(v -> upstream.close());
  }
}
