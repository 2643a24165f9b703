package io.dormouse.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.testing.GatewayWorld;
import io.dormouse.ledger.LedgerHealth;
import io.dormouse.ledger.LedgerSettings;
import io.dormouse.ledger.embedded.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database away from the start, and a gateway restart while it still is: requests are served
 * all along, rows wait in the spool, and once the database is back every row is there exactly once.
 */
class LedgerOutageTest {

  private static final Duration BOUND = Duration.ofSeconds(90);

  @TempDir static Path dir;
  static EmbeddedPostgresServer server;
  static String jdbcUrl;

  @BeforeAll
  static void startDatabase() throws Exception {
    // A server of its own: the JVM's shared one must not go away under other tests.
    server = EmbeddedPostgresServer.start(Files.createDirectories(dir.resolve("pg")), 0);
    jdbcUrl = server.createDatabase("outage");
  }

  @AfterAll
  static void stopDatabase() {
    if (server != null) {
      server.close();
    }
  }

  private static GatewayWorld gateway(Path spool) throws Exception {
    return GatewayWorld.start(
        b ->
            b.ledger(LedgerSettings.of(jdbcUrl, EmbeddedPostgresServer.USER, "", spool))
                .podName("gateway-outage"));
  }

  private static void serve(GatewayWorld world, String key, int requests) throws Exception {
    for (int i = 0; i < requests; i++) {
      assertThat(
              world
                  .post("/v1/chat/completions", key, GatewayWorld.chat("llama", i % 2 == 0, 3))
                  .statusCode())
          .isEqualTo(200);
    }
  }

  private static long count(String sql) {
    try (Connection c = DriverManager.getConnection(jdbcUrl, EmbeddedPostgresServer.USER, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1;
    }
  }

  @Test
  void rowsSpoolWhileTheDatabaseIsAwayAndArriveOnceWhenItIsBack() throws Exception {
    Path spool = dir.resolve("spool");
    server.stop();

    try (GatewayWorld first = gateway(spool)) {
      first.endpoint("llama", Phase.Ready, ie -> {});
      first.ready("llama");
      String key = first.key("search");
      serve(first, key, 10);
      await()
          .atMost(BOUND)
          .until(
              () -> first.gateway.ledgerHealth().map(LedgerHealth::spooledRows).orElse(0L) == 10);
      assertThat(first.gateway.ledgerHealth().orElseThrow().database().up()).isFalse();
    } // a graceful stop with the database still away: the rows stay in the spool

    try (GatewayWorld second = gateway(spool)) {
      second.endpoint("llama", Phase.Ready, ie -> {});
      second.ready("llama");
      String key = second.key("search");
      assertThat(second.gateway.ledgerHealth().orElseThrow().spooledRows()).isEqualTo(10);
      serve(second, key, 6);

      server.startServer();
      await()
          .atMost(BOUND)
          .untilAsserted(
              () -> {
                assertThat(count("SELECT count(*) FROM usage")).isEqualTo(16);
                assertThat(second.gateway.ledgerHealth().orElseThrow().pendingRows()).isZero();
              });
      assertThat(count("SELECT count(DISTINCT request_id) FROM usage")).isEqualTo(16);
      assertThat(count("SELECT count(*) FROM usage WHERE streamed")).isEqualTo(8);
      assertThat(second.gateway.ledgerHealth().orElseThrow().database().up()).isTrue();
    }
  }
}
