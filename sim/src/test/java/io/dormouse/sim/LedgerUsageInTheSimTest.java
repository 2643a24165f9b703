package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.auth.ApiKey;
import io.dormouse.ledger.billing.DailyRollup;
import io.dormouse.sim.cluster.NodePool;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The ledger's acceptance, request by request, in the sim: plain and streamed requests, with and
 * without {@code include_usage}, an engine crash mid-stream, a wake timeout and a client that
 * leaves. Exactly one usage row each; tokens as the engine reported them (estimated, and marked,
 * for the cut streams); the daily records the sums of the rows.
 */
class LedgerUsageInTheSimTest {

  private static final Duration BOUND = Duration.ofSeconds(120);
  private static final String NS = "team-a";
  private static final String PROMPT = "Why do dormice sleep so long?";

  static final String TIERS =
      """
      apiVersion: dormouse.io/v1alpha1
      kind: GpuTier
      metadata:
        name: spot
      spec:
        capacityType: spot
        nodeSelector: {sim.dormouse.io/capacity: spot}
        pricePerGpuHour: "1.20"
      ---
      apiVersion: dormouse.io/v1alpha1
      kind: GpuTier
      metadata:
        name: no-spot
      spec:
        capacityType: spot
        nodeSelector: {sim.dormouse.io/capacity: no-spot}
      """;

  @TempDir static Path dir;
  static SimWorld world;
  static ApiKey key;
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    world =
        SimWorld.start(
            new SimWorld.Settings()
                .workDir(dir)
                .namespaces(List.of(NS))
                .preStopDelay(Duration.ofSeconds(1))
                .pool("spot", new NodePool(1, 8))
                .pool("no-spot", new NodePool(0, 8)));
    world.apply(TIERS);
    key = world.mintKey("search");
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  static String endpoint(String name, String tiers, String wakeTimeout, String env) {
    return """
        apiVersion: dormouse.io/v1alpha1
        kind: InferenceEndpoint
        metadata:
          name: %s
          namespace: team-a
        spec:
          model:
            name: org/%s
          engine:
            env:
              - {name: DORMOUSE_SIM_STARTUP, value: 1s}
              - {name: DORMOUSE_SIM_TPS, value: "50"}
        %s
          tiers: [%s]
          scaling:
            idleTimeout: 10m
            wakeTimeout: %s
            tierStartTimeout: 10m
          access:
            projects: [search]
        """
        .formatted(name, name, env, tiers, wakeTimeout);
  }

  private static String body(String model, boolean stream, Boolean includeUsage, int tokens) {
    return "{\"model\":\""
        + model
        + "\",\"stream\":"
        + stream
        + (includeUsage == null
            ? ""
            : ",\"stream_options\":{\"include_usage\":" + includeUsage + "}")
        + ",\"max_tokens\":"
        + tokens
        + ",\"ignore_eos\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
        + PROMPT
        + "\"}]}";
  }

  private static HttpResponse<String> send(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(world.gatewayUrl() + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + key.secret())
            .header("Content-Type", "application/json")
            .timeout(BOUND)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Phase phase(String name) {
    InferenceEndpoint ie =
        world.client().resources(InferenceEndpoint.class).inNamespace(NS).withName(name).get();
    return ie == null || ie.getStatus() == null ? null : ie.getStatus().getPhase();
  }

  private static Connection db() throws SQLException {
    return DriverManager.getConnection(world.ledgerJdbcUrl(), "postgres", "");
  }

  private static long count(String sql) {
    try (Connection c = db();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1;
    }
  }

  /** Rows of a query as text lines, "a|b|c", in the query's order. */
  private static List<String> lines(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder line = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          line.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        out.add(line.toString());
      }
    }
    return out;
  }

  /** Sends a stream over a raw socket and leaves once a few tokens have come. */
  private static void leaveMidStream(String body) throws Exception {
    URI gateway = URI.create(world.gatewayUrl());
    try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer "
                  + key.secret()
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.getBytes(StandardCharsets.UTF_8).length
                  + "\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder seen = new StringBuilder();
      byte[] buf = new byte[4096];
      while (tokensSeen(seen) < 3) {
        int n = in.read(buf);
        assertThat(n).as("the stream ended early: %s", seen).isPositive();
        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void everyRequestIsOneRowWithTheEnginesTokensAndTheDailyRecordsAreTheirSums() throws Exception {
    world.apply(endpoint("llama", "spot", "90s", ""));
    world.apply(
        endpoint(
            "crash",
            "spot",
            "90s",
            "      - {name: DORMOUSE_SIM_FAULT, value: crash}\n"
                + "      - {name: DORMOUSE_SIM_FAULT_AFTER_TOKENS, value: \"3\"}"));
    // No node can ever take it: its one request waits out its wake timeout.
    world.apply(endpoint("stuck", "no-spot", "3s", ""));
    for (String name : List.of("llama", "crash", "stuck")) {
      await().ignoreExceptions().atMost(BOUND).until(() -> phase(name) == Phase.Hibernated);
    }

    // What the engine reported, as the client saw it (completion tokens are max_tokens here).
    HttpResponse<String> plain = send(body("llama", false, null, 5));
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
    JsonObject usage = new JsonObject(plain.body()).getJsonObject("usage");
    int prompt = usage.getInteger("prompt_tokens");
    assertThat(usage.getInteger("completion_tokens")).isEqualTo(5);
    assertThat(send(body("llama", false, null, 7)).statusCode()).isEqualTo(200);
    assertThat(send(body("llama", true, null, 4)).statusCode()).isEqualTo(200);
    assertThat(send(body("llama", true, false, 6)).statusCode()).isEqualTo(200);
    HttpResponse<String> withUsage = send(body("llama", true, true, 8));
    assertThat(withUsage.body()).contains("\"completion_tokens\":8");
    assertThat(send(body("llama", true, true, 9)).statusCode()).isEqualTo(200);
    HttpResponse<String> crashed = send(body("crash", true, true, 50));
    assertThat(crashed.body()).contains("upstream_error");
    HttpResponse<String> timedOut = send(body("stuck", false, null, 5));
    assertThat(timedOut.statusCode()).isEqualTo(504);
    leaveMidStream(body("llama", true, true, 2000));
    int sent = 9;

    await().atMost(BOUND).until(() -> count("SELECT count(*) FROM usage") == sent);
    // Rows that could still be on their way would show up here: nothing more comes.
    assertThat(world.gateway(0).ledgerHealth().orElseThrow().pendingRows()).isZero();
    assertThat(count("SELECT count(*) FROM usage")).isEqualTo(sent);
    assertThat(count("SELECT count(DISTINCT request_id) FROM usage")).isEqualTo(sent);

    String byRequest =
        "SELECT r.endpoint, u.status, u.streamed, u.usage_estimated, u.prompt_tokens,"
            + " u.completion_tokens FROM usage u JOIN route r ON r.id = u.route_id"
            + " WHERE NOT u.usage_estimated ORDER BY u.at, u.request_id";
    assertThat(lines(byRequest))
        .containsExactly(
            "llama|200|f|f|" + prompt + "|5",
            "llama|200|f|f|" + prompt + "|7",
            "llama|200|t|f|" + prompt + "|4",
            "llama|200|t|f|" + prompt + "|6",
            "llama|200|t|f|" + prompt + "|8",
            "llama|200|t|f|" + prompt + "|9");
    // The cut streams: the crash after its three tokens, the client gone after a few.
    List<String> estimated =
        lines(
            "SELECT r.endpoint, u.streamed, u.prompt_tokens, u.completion_tokens FROM usage u"
                + " JOIN route r ON r.id = u.route_id WHERE u.usage_estimated"
                + " AND r.endpoint <> 'stuck' ORDER BY r.endpoint");
    assertThat(estimated).hasSize(2);
    assertThat(estimated.get(0)).startsWith("crash|t|");
    assertThat(estimated.get(1)).startsWith("llama|t|");
    for (String cut : estimated) {
      int completion = Integer.parseInt(cut.substring(cut.lastIndexOf('|') + 1));
      assertThat(completion).as(cut).isBetween(3, 1999);
    }
    assertThat(
            lines(
                "SELECT u.status, u.tier IS NULL, u.completion_tokens, u.wake_wait_ms >= 2500"
                    + " FROM usage u JOIN route r ON r.id = u.route_id WHERE r.endpoint = 'stuck'"))
        .containsExactly("504|t|0|t");
    assertThat(
            lines(
                "SELECT DISTINCT r.model, u.tier, u.project FROM usage u"
                    + " JOIN route r ON r.id = u.route_id WHERE r.endpoint = 'llama'"))
        .containsExactly("org/llama|spot|search");

    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(world.ledgerJdbcUrl());
    ds.setUser("postgres");
    new DailyRollup(ds, Clock.systemUTC(), 7).run();
    String sums =
        "SELECT (u.at AT TIME ZONE 'UTC')::date, u.project, r.namespace, r.endpoint, r.model,"
            + " count(*), sum(u.prompt_tokens), sum(u.completion_tokens) FROM usage u"
            + " JOIN route r ON r.id = u.route_id GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5";
    String daily =
        "SELECT day, project, namespace, endpoint, model, sum(requests), sum(input_tokens),"
            + " sum(output_tokens) FROM daily_usage GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5";
    assertThat(lines(daily)).isEqualTo(lines(sums)).hasSize(3);
    // The billing records name input and output tokens apart: <model>-input, <model>-output.
    Map<String, String> billed = new TreeMap<>();
    for (String l : lines("SELECT resource, sum(quantity) FROM billing_record GROUP BY resource")) {
      billed.put(l.substring(0, l.indexOf('|')), l.substring(l.indexOf('|') + 1));
    }
    assertThat(billed)
        .containsKeys("org/llama-input", "org/llama-output", "org/crash-input", "org/crash-output");
  }

  /** Generated pieces the client has seen: non-empty contents (the first chunk's is empty). */
  private static long tokensSeen(CharSequence sse) {
    return java.util.regex.Pattern.compile("\"content\":\"[^\"]").matcher(sse).results().count();
  }
}
