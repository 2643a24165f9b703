package io.dormouse.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.testing.GatewayWorld;
import io.dormouse.ledger.LedgerSettings;
import io.dormouse.ledger.embedded.EmbeddedPostgresServer;
import io.dormouse.sim.engine.EngineFault;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request admitted and sent towards a model leaves exactly one usage row in a real
 * PostgreSQL, however it ends; a request refused before that leaves none.
 */
class LedgerUsageTest {

  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir static Path spool;
  static String jdbcUrl;
  static GatewayWorld world;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    jdbcUrl = EmbeddedPostgresServer.shared().freshDatabase("gateway_ledger_usage");
    world =
        GatewayWorld.start(
            b -> b.ledger(LedgerSettings.of(jdbcUrl, EmbeddedPostgresServer.USER, "", spool)));
    key = world.key("search");
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  /** The usage row of the request whose engine saw {@code marker}, as column → value. */
  private static Map<String, Object> rowOf(String endpoint, int nth) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, EmbeddedPostgresServer.USER, "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT u.*, r.namespace, r.endpoint, r.served_name, r.model FROM usage u"
                    + " JOIN route r ON r.id = u.route_id WHERE r.endpoint = '"
                    + endpoint
                    + "' ORDER BY u.at, u.request_id OFFSET "
                    + nth
                    + " LIMIT 1")) {
      if (!rs.next()) {
        return null;
      }
      Map<String, Object> row = new HashMap<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
      }
      return row;
    }
  }

  private static long rows(String endpoint) {
    try (Connection c = DriverManager.getConnection(jdbcUrl, EmbeddedPostgresServer.USER, "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM usage u JOIN route r ON r.id = u.route_id"
                    + " WHERE r.endpoint = '"
                    + endpoint
                    + "'")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1; // the schema may not be there yet
    }
  }

  private static Map<String, Object> awaitRow(String endpoint, int count) {
    await().atMost(BOUND).until(() -> rows(endpoint) >= count);
    try {
      return rowOf(endpoint, count - 1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aPlainRequestIsOneRowWithTheEnginesUsageAndWhereItWent() throws Exception {
    world.endpoint("plain", Phase.Ready, ie -> {});
    world.ready("plain");
    var response = world.post("/v1/chat/completions", key, GatewayWorld.chat("plain", false, 5));
    assertThat(response.statusCode()).isEqualTo(200);

    Map<String, Object> row = awaitRow("plain", 1);
    assertThat(row)
        .containsEntry("namespace", GatewayWorld.NS)
        .containsEntry("served_name", "plain")
        .containsEntry("model", "org/plain")
        .containsEntry("tier", GatewayWorld.TIER)
        .containsEntry("backend", "127.0.0.1:" + world.engine("plain").port())
        .containsEntry("project", "search")
        .containsEntry("completion_tokens", 5)
        .containsEntry("prompt_tokens", world.engine("plain").lastPromptTokens())
        .containsEntry("usage_estimated", false)
        .containsEntry("status", 200)
        .containsEntry("streamed", false);
    assertThat((String) row.get("key_id")).startsWith("dm-");
    assertThat((Integer) row.get("ttfb_ms"))
        .isNotNull()
        .isLessThanOrEqualTo((Integer) row.get("latency_ms"));
    assertThat(rows("plain")).isEqualTo(1);
  }

  @Test
  void streamsWithAndWithoutIncludeUsageAreRowsWithReportedUsage() throws Exception {
    world.endpoint("streams", Phase.Ready, ie -> {});
    world.ready("streams");
    assertThat(
            world
                .post("/v1/chat/completions", key, GatewayWorld.chat("streams", true, 4))
                .statusCode())
        .isEqualTo(200);
    String withUsage =
        "{\"model\":\"streams\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"max_tokens\":6,\"ignore_eos\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    assertThat(world.post("/v1/chat/completions", key, withUsage).statusCode()).isEqualTo(200);

    await().atMost(BOUND).until(() -> rows("streams") == 2);
    Map<String, Object> first = rowOf("streams", 0);
    Map<String, Object> second = rowOf("streams", 1);
    assertThat(first).containsEntry("streamed", true).containsEntry("usage_estimated", false);
    assertThat(second).containsEntry("streamed", true).containsEntry("usage_estimated", false);
    assertThat(first.get("completion_tokens") + "," + second.get("completion_tokens"))
        .isEqualTo("4,6");
  }

  @Test
  void anEngineErrorIsARowWithItsStatus() throws Exception {
    world.endpoint("broken", Phase.Ready, ie -> {});
    world.engine("broken", b -> b.fault(EngineFault.ERROR));
    world.ready("broken");
    assertThat(
            world
                .post("/v1/chat/completions", key, GatewayWorld.chat("broken", false))
                .statusCode())
        .isEqualTo(500);
    assertThat(awaitRow("broken", 1)).containsEntry("status", 500);
  }

  @Test
  void aStreamCutByAnEngineCrashIsARowWithEstimatedTokens() throws Exception {
    world.endpoint("crash", Phase.Ready, ie -> {});
    world.engine("crash", b -> b.fault(EngineFault.CRASH).faultAfterTokens(3));
    world.ready("crash");
    var response = world.post("/v1/chat/completions", key, GatewayWorld.chat("crash", true, 20));
    assertThat(response.body()).contains("upstream_error");

    Map<String, Object> row = awaitRow("crash", 1);
    assertThat(row).containsEntry("usage_estimated", true).containsEntry("streamed", true);
    assertThat((Integer) row.get("completion_tokens")).isGreaterThanOrEqualTo(3);
    assertThat(rows("crash")).isEqualTo(1);
  }

  @Test
  void aWakeTimeoutIsARowWithItsWaitAndNoBackend() throws Exception {
    world.endpoint(
        "sleepy", Phase.Hibernated, ie -> ie.getSpec().getScaling().setWakeTimeout("1s"));
    world.awaitModel(key, "sleepy", Phase.Hibernated);
    var response = world.post("/v1/chat/completions", key, GatewayWorld.chat("sleepy", false));
    assertThat(response.statusCode()).isEqualTo(504);

    Map<String, Object> row = awaitRow("sleepy", 1);
    assertThat(row).containsEntry("status", 504).containsEntry("completion_tokens", 0);
    assertThat(row.get("tier")).isNull();
    assertThat(row.get("backend")).isNull();
    assertThat(row.get("ttfb_ms")).isNull();
    assertThat((Integer) row.get("wake_wait_ms")).isGreaterThanOrEqualTo(900);
  }

  @Test
  void aClientThatLeavesMidStreamIsARowBilledForWhatWasGenerated() throws Exception {
    world.endpoint("slow", Phase.Ready, ie -> {});
    world.engine("slow", b -> b.tokensPerSecond(20));
    world.ready("slow");
    String body = GatewayWorld.chat("slow", true, 400);
    try (Socket socket = new Socket("127.0.0.1", world.gateway.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer "
                  + key
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.getBytes(StandardCharsets.UTF_8).length
                  + "\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder seen = new StringBuilder();
      byte[] buf = new byte[4096];
      // Read until a few tokens have streamed, then leave.
      while (tokensSeen(seen) < 3) {
        int n = in.read(buf);
        assertThat(n).isPositive();
        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    }
    Map<String, Object> row = awaitRow("slow", 1);
    assertThat(row).containsEntry("usage_estimated", true).containsEntry("streamed", true);
    assertThat((Integer) row.get("completion_tokens")).isBetween(3, 399);
  }

  @Test
  void requestsRefusedBeforeAdmissionLeaveNoRow() throws Exception {
    world.endpoint("guarded", Phase.Ready, ie -> {}, "someone-else");
    world.ready("guarded");
    world.endpoint("counted", Phase.Ready, ie -> {});
    world.ready("counted");
    assertThat(
            world
                .post("/v1/chat/completions", "dm-wrong", GatewayWorld.chat("counted", false))
                .statusCode())
        .isEqualTo(401);
    assertThat(
            world
                .post("/v1/chat/completions", key, GatewayWorld.chat("guarded", false))
                .statusCode())
        .isEqualTo(404);
    assertThat(
            world
                .post("/v1/chat/completions", key, "{\"model\":\"counted\",\"messages\":7}")
                .statusCode())
        .isEqualTo(400);
    // One admitted request after them: once its row is in, nothing else came before it.
    assertThat(
            world
                .post("/v1/chat/completions", key, GatewayWorld.chat("counted", false))
                .statusCode())
        .isEqualTo(200);
    awaitRow("counted", 1);
    assertThat(rows("guarded")).isZero();
    assertThat(rows("counted")).isEqualTo(1);
  }

  @Test
  void theLedgersHealthIsOnMetrics() throws Exception {
    await()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              String text =
                  world
                      .http
                      .send(
                          java.net.http.HttpRequest.newBuilder(
                                  java.net.URI.create(
                                      "http://127.0.0.1:"
                                          + world.gateway.managementPort()
                                          + "/metrics"))
                              .build(),
                          java.net.http.HttpResponse.BodyHandlers.ofString())
                      .body();
              assertThat(text)
                  .contains("dormouse_ledger_database_up 1.0")
                  .contains("dormouse_ledger_pending_rows ")
                  .contains("dormouse_ledger_spooled_rows ")
                  .contains("dormouse_ledger_rows_written_total ");
            });
  }

  /** Generated pieces the client has seen: non-empty contents (the first chunk's is empty). */
  private static long tokensSeen(CharSequence sse) {
    return java.util.regex.Pattern.compile("\"content\":\"[^\"]").matcher(sse).results().count();
  }
}
