package io.dormouse.gateway;

import io.dormouse.gateway.auth.KeyStore;
import io.dormouse.gateway.fleet.Fleet;
import io.dormouse.gateway.http.GatewayServer;
import io.dormouse.gateway.kube.ActivityLease;
import io.dormouse.gateway.kube.ClusterWatch;
import io.dormouse.gateway.ledger.LedgerUsageSink;
import io.dormouse.gateway.peers.PeerExchange;
import io.dormouse.gateway.ratelimit.NanoClock;
import io.dormouse.gateway.ratelimit.ProjectLimiter;
import io.dormouse.gateway.stages.account.UsageSink;
import io.dormouse.gateway.usage.AccessLog;
import io.dormouse.gateway.usage.GatewayMetrics;
import io.dormouse.ledger.Ledger;
import io.dormouse.ledger.LedgerHealth;
import io.dormouse.ledger.LedgerMeters;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running gateway: its watches, its servers and its Lease writer. */
public final class GatewayApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayApp.class);

  private final GatewaySettings settings;
  private final Vertx vertx;
  private final Context context;
  private final KubernetesClient client;
  private final boolean ownsClient;
  private final ActivityLease lease;
  private final ClusterWatch watch;
  private final GatewayServer server;
  private final Fleet fleet;
  private final PeerExchange peers;
  private final AccessLog accessLog;
  private final Ledger ledger;
  private boolean closed;

  private GatewayApp(GatewaySettings s) {
    this.settings = s;
    this.ownsClient = s.client() == null;
    this.client = ownsClient ? newClient(s) : s.client();
    int loops = s.effectiveEventLoops();
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(loops + 1)
                .setPreferNativeTransport(s.nativeTransport()));
    LOG.info(
        "gateway: {} event loops, {} transport",
        loops,
        vertx.isNativeTransportEnabled() ? "epoll" : "NIO");
    this.context = vertx.getOrCreateContext();
    GatewayMetrics metrics = new GatewayMetrics();
    this.ledger = startLedger(s, metrics);
    KeyStore keys = new KeyStore();
    this.lease = new ActivityLease(client, s.podName(), s.clock());
    ProjectLimiter limiter =
        new ProjectLimiter(
            s.clock() == java.time.Clock.systemUTC()
                ? NanoClock.system()
                : NanoClock.of(s.clock()));
    this.accessLog = AccessLog.toStdout();
    this.fleet =
        new Fleet(
            s.leaseRenewEvery(),
            metrics,
            listed -> limiter.defaultShare(Math.max(1, listed.size())));
    this.peers =
        new PeerExchange(
            vertx,
            new PeerExchange.Settings(s.podName(), s.peerSecret(), s.peerPeriod(), s.peerTimeout()),
            fleet,
            limiter,
            s.clock());
    ClusterWatch[] watchRef = new ClusterWatch[1];
    this.server =
        new GatewayServer(
            vertx,
            new GatewayServer.Config(
                s.host(),
                s.port(),
                s.managementPort(),
                loops,
                s.maxBodyBytes(),
                s.bodyTimeout(),
                s.heartbeatAfter(),
                s.heartbeatEvery(),
                s.upstreamIdleTimeout(),
                s.connectionIdleTimeout(),
                s.lingerBytes(),
                s.lingerTime()),
            keys,
            fleet,
            limiter,
            metrics,
            accessLog,
            usageSink(s, ledger),
            lease::signal,
            s.clock(),
            () -> watchRef[0] != null && watchRef[0].synced(),
            peers);
    this.watch =
        new ClusterWatch(
            client,
            s.namespace(),
            s.service(),
            keys,
            fleet,
            command -> context.runOnContext(v -> command.run()),
            s.requireDeclaredProjects());
    watchRef[0] = watch;
  }

  /**
   * The ledger, when configured: started without waiting for its database (down, it spools and says
   * so in the log and in {@code dormouse_ledger_database_up}), its meters on /metrics.
   */
  private static Ledger startLedger(GatewaySettings s, GatewayMetrics metrics) {
    if (s.ledger() == null) {
      return null;
    }
    LedgerMeters meters = new LedgerMeters(metrics.registry());
    Ledger ledger = Ledger.start(s.ledger(), meters, s.clock());
    meters.watch(ledger::health);
    return ledger;
  }

  private static UsageSink usageSink(GatewaySettings s, Ledger ledger) {
    UsageSink given = s.usageSink() == null ? UsageSink.NONE : s.usageSink();
    if (ledger == null) {
      return given;
    }
    UsageSink rows = new LedgerUsageSink(ledger.writer());
    return given == UsageSink.NONE
        ? rows
        : r -> {
          rows.accept(r);
          given.accept(r);
        };
  }

  /** The ledger's database state and backlog, or empty without a ledger. */
  public java.util.Optional<LedgerHealth> ledgerHealth() {
    return ledger == null ? java.util.Optional.empty() : java.util.Optional.of(ledger.health());
  }

  /** Starts the watches, then the servers; returns once both serve. */
  public static GatewayApp start(GatewaySettings settings) {
    GatewayApp app = new GatewayApp(settings);
    try {
      app.watch.start(settings.watchStartTimeout());
      app.onContext(
          () ->
              app.server
                  .listen()
                  .onSuccess(
                      v -> {
                        app.peers.start();
                        app.vertx.setPeriodic(
                            1000,
                            id ->
                                app.fleet
                                    .renewalsDue(settings.clock().instant())
                                    .forEach(app.lease::signal));
                      }));
      return app;
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
  }

  public int port() {
    return server.port();
  }

  public int managementPort() {
    return server.managementPort();
  }

  /**
   * Graceful: stops accepting, lets in-flight responses finish within the grace period, then stops
   * the watches. Do not call from a Vert.x thread.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      onContext(() -> server.shutdown(settings.shutdownGrace()));
    } catch (RuntimeException e) {
      LOG.warn("gateway shutdown: {}", e.toString());
    }
    peers.close();
    accessLog.close();
    watch.close();
    lease.close();
    if (ownsClient) {
      client.close();
    }
    vertx
        .close()
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(10, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
    if (ledger != null) {
      // Last: the requests ended by the shutdown above were accounted; their rows are written or
      // spooled before the process may exit.
      ledger.close();
    }
    LOG.info("gateway stopped");
  }

  /** Runs an async step on the gateway's context and waits for it. */
  private void onContext(Supplier<Future<Void>> step) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          Promise<Void> p = Promise.promise();
          try {
            step.get().onComplete(p);
          } catch (RuntimeException e) {
            p.fail(e);
          }
          p.future().onSuccess(done::complete).onFailure(done::completeExceptionally);
        });
    try {
      done.get(settings.shutdownGrace().toSeconds() + 30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("gateway: " + e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("gateway: " + e, e);
    }
  }

  private static KubernetesClient newClient(GatewaySettings s) {
    if (s.kubeconfig() == null) {
      return new KubernetesClientBuilder().build();
    }
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(s.kubeconfig())))
          .build();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read kubeconfig " + s.kubeconfig(), e);
    }
  }
}
