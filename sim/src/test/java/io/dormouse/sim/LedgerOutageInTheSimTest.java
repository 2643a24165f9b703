package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.auth.ApiKey;
import io.dormouse.ledger.LedgerHealth;
import io.dormouse.ledger.embedded.EmbeddedPostgresServer;
import io.dormouse.sim.cluster.NodePool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's database stopped for 30 s while traffic runs, with a gateway restart in the middle:
 * every request is answered, rows spool, and once the database is back every row is there exactly
 * once.
 */
class LedgerOutageInTheSimTest {

  private static final Duration BOUND = Duration.ofSeconds(120);
  private static final Duration OUTAGE = Duration.ofSeconds(30);

  @TempDir static Path dir;
  static EmbeddedPostgresServer database;
  static SimWorld world;
  static ApiKey key;
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    // A server of its own, stopped and started again: the JVM's shared one serves other tests.
    database = EmbeddedPostgresServer.start(Files.createDirectories(dir.resolve("pg")), 0);
    world =
        SimWorld.start(
            new SimWorld.Settings()
                .workDir(dir)
                .namespaces(List.of("team-a"))
                .preStopDelay(Duration.ofSeconds(1))
                .ledgerServer(database)
                .pool("spot", new NodePool(1, 8)));
    world.apply(LedgerUsageInTheSimTest.TIERS);
    world.apply(LedgerUsageInTheSimTest.endpoint("llama", "spot", "90s", ""));
    key = world.mintKey("search");
  }

  @AfterAll
  static void stop() {
    try {
      if (world != null) {
        world.close();
      }
    } finally {
      database.close();
    }
  }

  private static long count(String sql) {
    try (Connection c = DriverManager.getConnection(world.ledgerJdbcUrl(), "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1;
    }
  }

  private static LedgerHealth health() {
    return world.gateway(0).ledgerHealth().orElseThrow();
  }

  /** Sends requests one after another until stopped; any answer but 200 is a failure. */
  private static final class Traffic implements Runnable {
    final AtomicInteger answered = new AtomicInteger();
    final AtomicReference<String> failure = new AtomicReference<>();
    volatile boolean running = true;

    @Override
    public void run() {
      int i = 0;
      while (running) {
        synchronized (this) {
          try {
            HttpResponse<String> r =
                http.send(
                    HttpRequest.newBuilder(URI.create(world.gatewayUrl() + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + key.secret())
                        .header("Content-Type", "application/json")
                        .timeout(BOUND)
                        .POST(
                            HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"llama\",\"stream\":"
                                    + (i++ % 2 == 0)
                                    + ",\"max_tokens\":3,\"ignore_eos\":true,"
                                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
              failure.compareAndSet(null, r.statusCode() + " " + r.body());
            }
            answered.incrementAndGet();
          } catch (Exception e) {
            failure.compareAndSet(null, e.toString());
          }
        }
      }
    }
  }

  @Test
  void thirtySecondsWithoutTheDatabaseAndAGatewayRestartLoseAndDoubleNoRow() throws Exception {
    await()
        .ignoreExceptions()
        .atMost(BOUND)
        .until(
            () ->
                world
                        .client()
                        .resources(InferenceEndpoint.class)
                        .inNamespace("team-a")
                        .withName("llama")
                        .get()
                        .getStatus()
                        .getPhase()
                    == Phase.Hibernated);
    Traffic traffic = new Traffic();
    Thread sender = new Thread(traffic, "ledger-outage-traffic");
    sender.start();
    try {
      await().atMost(BOUND).until(() -> count("SELECT count(*) FROM usage") >= 5);

      database.stop();
      long outageStart = System.nanoTime();
      int before = traffic.answered.get();
      await().atMost(BOUND).until(() -> health().spooledRows() > 0);

      // The gateway restarted mid-outage, its spool kept; the traffic holds off meanwhile.
      synchronized (traffic) {
        world.restartGateway(0);
      }
      await()
          .atMost(BOUND)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  System.nanoTime() - outageStart >= OUTAGE.toNanos()
                      && traffic.answered.get() > before + 10);
      assertThat(health().database().up()).isFalse();
      assertThat(health().spooledRows()).isPositive();
      database.startServer();
    } finally {
      traffic.running = false;
      sender.join(BOUND.toMillis());
    }

    assertThat(traffic.failure.get()).isNull();
    int answered = traffic.answered.get();
    await()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(count("SELECT count(*) FROM usage")).isEqualTo(answered);
              assertThat(health().pendingRows()).isZero();
            });
    assertThat(count("SELECT count(DISTINCT request_id) FROM usage")).isEqualTo(answered);
    assertThat(count("SELECT count(*) FROM usage WHERE status <> 200")).isZero();
  }
}
