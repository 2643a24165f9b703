package io.dormouse.gateway.http;

import io.dormouse.gateway.auth.KeyStore;
import io.dormouse.gateway.fleet.Fleet;
import io.dormouse.gateway.fleet.LoadReport;
import io.dormouse.gateway.ratelimit.ProjectLimiter;
import io.dormouse.gateway.routing.EndpointRef;
import io.dormouse.gateway.stages.OpenAiError;
import io.dormouse.gateway.stages.Refusal;
import io.dormouse.gateway.stages.account.Account;
import io.dormouse.gateway.stages.account.UsageSink;
import io.dormouse.gateway.usage.AccessLog;
import io.dormouse.gateway.usage.GatewayMetrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API on every event loop and the management server, with the state they share: start-up, and a
 * graceful shutdown.
 */
public final class GatewayServer {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

  /** What the servers need to know. */
  public record Config(
      String host,
      int port,
      int managementPort,
      int eventLoops,
      long maxBodyBytes,
      Duration bodyTimeout,
      Duration heartbeatAfter,
      Duration heartbeatEvery,
      Duration upstreamIdleTimeout,
      Duration connectionIdleTimeout,
      long lingerBytes,
      Duration lingerTime) {}

  private final Vertx vertx;
  private final Config config;
  private final Shared shared;
  private final ManagementServer management;
  private String deployment;
  private int port;
  private HttpServer managementServer;
  private volatile boolean accepting;

  /**
   * @param peerMessages the handler of {@code POST /peer/v1/state} on the management port
   */
  public GatewayServer(
      Vertx vertx,
      Config config,
      KeyStore keys,
      Fleet fleet,
      ProjectLimiter limiter,
      GatewayMetrics metrics,
      AccessLog accessLog,
      UsageSink usage,
      Consumer<EndpointRef> wakeSignal,
      Clock clock,
      BooleanSupplier watchesSynced,
      Handler<HttpServerRequest> peerMessages) {
    this.vertx = vertx;
    this.config = config;
    this.shared =
        new Shared(
            vertx,
            config,
            keys,
            fleet,
            limiter,
            metrics,
            new Account(limiter, accessLog, metrics, usage),
            wakeSignal,
            clock);
    this.management =
        new ManagementServer(
            metrics,
            () -> accepting && watchesSynced.getAsBoolean(),
            peerMessages,
            () -> LoadReport.json(fleet));
  }

  public Future<Void> listen() {
    ApiVerticle[] first = new ApiVerticle[1];
    return vertx
        .deployVerticle(
            () -> {
              ApiVerticle v = new ApiVerticle(shared);
              if (first[0] == null) {
                first[0] = v;
              }
              return v;
            },
            new DeploymentOptions().setInstances(Math.max(1, config.eventLoops())))
        .compose(
            id -> {
              deployment = id;
              port = first[0].port();
              managementServer =
                  vertx
                      .createHttpServer(
                          new HttpServerOptions()
                              .setHost(config.host())
                              .setPort(config.managementPort()))
                      .requestHandler(management);
              return managementServer.listen();
            })
        .map(
            s -> {
              accepting = true;
              LOG.info(
                  "gateway listening on {}:{} with {} event loops, management on port {}",
                  config.host(),
                  port,
                  config.eventLoops(),
                  managementServer.actualPort());
              return null;
            });
  }

  public int port() {
    return port;
  }

  public int managementPort() {
    return managementServer.actualPort();
  }

  /**
   * Stops taking requests (readiness fails, new requests get 503 and a closed connection, waiters
   * are sent away), lets in-flight responses finish within {@code grace}, then closes.
   */
  public Future<Void> shutdown(Duration grace) {
    accepting = false;
    if (deployment == null || managementServer == null) {
      return Future.succeededFuture(); // never listened
    }
    shared.drain();
    shared
        .fleet()
        .drainAll(
            new Refusal(
                new OpenAiError(
                    503,
                    "service_unavailable",
                    "shutting_down",
                    "The gateway is shutting down; retry.",
                    null)));
    Promise<Void> drained = Promise.promise();
    long deadline = System.nanoTime() + grace.toNanos();
    vertx.setPeriodic(
        0,
        50,
        id -> {
          int active = shared.inFlight().get();
          if (active <= 0 || System.nanoTime() > deadline) {
            vertx.cancelTimer(id);
            if (active > 0) {
              LOG.warn("gateway shutdown: {} responses cut off after the grace period", active);
            }
            drained.tryComplete();
          }
        });
    return drained
        .future()
        .compose(v -> vertx.undeploy(deployment))
        .compose(v -> managementServer.close());
  }
}
