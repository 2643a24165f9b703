package io.dormouse.operator.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.dormouse.api.events.EventType;
import io.dormouse.api.events.WebhookSignature;
import io.dormouse.ledger.LedgerSettings;
import io.dormouse.ledger.embedded.EmbeddedPostgresServer;
import io.dormouse.ledger.outbox.OutboxEntry;
import io.dormouse.ledger.store.DataSources;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery against a real receiver and the shared embedded PostgreSQL: a receiver that is down gets
 * every event once it is up, in order per endpoint, each exactly once after deduplication by id,
 * and a dispatcher replaced mid-retries (an operator restart) loses none.
 */
class DeliveryTest {

  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String ROTATED =
      "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);
  static final ObjectMapper JSON = new ObjectMapper();

  record Received(String id, String subject, String type, boolean verified) {}

  HikariDataSource dataSource;
  OutboxDatabase database;
  Subscriptions subscriptions = new Subscriptions();
  DeliveryStats stats = new DeliveryStats();
  List<Received> received = new CopyOnWriteArrayList<>();
  HttpServer receiver;
  int port;
  final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.shared();
    LedgerSettings ledger =
        LedgerSettings.of(
            server.freshDatabase("DeliveryTest"),
            EmbeddedPostgresServer.USER,
            "",
            Path.of("unused"));
    dataSource = DataSources.pool(ledger, "t", 4);
    database = new OutboxDatabase(dataSource, Clock.systemUTC());
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    subscriptions.put(
        new Subscription(
            "team-a/ops",
            "team-a",
            "uid-ops",
            1,
            URI.create("http://receiver.team-a.svc:" + port + "/hook"),
            List.of(SECRET, ROTATED),
            Set.of(),
            null,
            false,
            false,
            null));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
    dataSource.close();
  }

  WebhookDispatcher dispatcher() {
    WebhookSettings settings =
        WebhookSettings.defaults()
            .withRetry(
                new RetrySchedule(
                    Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofHours(24)))
            .withResolve(u -> URI.create("http://127.0.0.1:" + u.getPort() + u.getPath()));
    WebhookDispatcher d =
        new WebhookDispatcher(
            database, subscriptions, stats, settings, Clock.systemUTC(), null, "test");
    closing.add(d);
    d.start();
    return d;
  }

  void receiverUp(int status) throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          var h = exchange.getRequestHeaders();
          boolean verified;
          try {
            // Only the current secret: the rotation's second signature must not matter.
            WebhookSignature.verify(
                List.of(SECRET),
                h.getFirst("webhook-id"),
                h.getFirst("webhook-timestamp"),
                h.getFirst("webhook-signature"),
                body,
                Instant.now(),
                WebhookSignature.DEFAULT_TOLERANCE);
            verified = true;
          } catch (WebhookSignature.Invalid e) {
            verified = false;
          }
          JsonNode event = JSON.readTree(body);
          received.add(
              new Received(
                  h.getFirst("webhook-id"),
                  event.path("subject").asText(),
                  event.path("type").asText(),
                  verified && h.getFirst("webhook-id").equals(event.path("id").asText())));
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
  }

  List<UUID> enqueue(int perEndpoint) throws SQLException {
    List<OutboxEntry> entries = new ArrayList<>();
    List<UUID> ids = new ArrayList<>();
    Instant t = Instant.now();
    EventType[] cycle = {
      EventType.ENDPOINT_WAKING,
      EventType.ENDPOINT_READY,
      EventType.ENDPOINT_HIBERNATING,
      EventType.ENDPOINT_HIBERNATED
    };
    for (int i = 0; i < perEndpoint; i++) {
      for (String endpoint : List.of("llama", "mistral")) {
        EventType type = cycle[i % cycle.length];
        Instant at = t.plusMillis(i);
        UUID id = EventFactory.id("uid-" + endpoint, type, "spot", at);
        String json =
            EventFactory.json(
                EventFactory.endpointEvent(
                    id,
                    type,
                    new EventFactory.EndpointData(
                        "team-a", endpoint, "spot", 1, 0, "Waking", "Waking", "n" + i),
                    at));
        entries.add(new OutboxEntry(id, "team-a/ops", "team-a/" + endpoint, type.type(), json, at));
        ids.add(id);
      }
    }
    database.ready();
    database.outbox().enqueue(entries);
    return ids;
  }

  long count(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aReceiverDownThenUpGetsEveryEventInOrderPerEndpointAcrossARestart() throws Exception {
    List<UUID> ids = enqueue(6);
    WebhookDispatcher first = dispatcher();

    // Down: attempts fail and are retried with back-off; the operator restarts meanwhile.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("SELECT max(attempts) FROM webhook_outbox") >= 3);
    assertThat(stats.of("team-a/ops").consecutiveFailures()).isPositive();
    first.close();
    WebhookDispatcher second = dispatcher();
    receiverUp(204);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("SELECT count(*) FROM webhook_outbox WHERE state = 'pending'") == 0);
    second.close();

    assertThat(received).allMatch(Received::verified);
    Map<String, Received> once = new LinkedHashMap<>();
    received.forEach(r -> once.putIfAbsent(r.id(), r));
    assertThat(once.keySet())
        .containsExactlyInAnyOrderElementsOf(ids.stream().map(UUID::toString).toList());
    for (String endpoint : List.of("llama", "mistral")) {
      List<String> sent =
          ids.stream()
              .map(UUID::toString)
              .filter(id -> once.get(id).subject().equals("team-a/" + endpoint))
              .toList();
      List<String> arrived =
          new ArrayList<>(
              new LinkedHashSet<>(
                  received.stream()
                      .filter(r -> r.subject().equals("team-a/" + endpoint))
                      .map(Received::id)
                      .toList()));
      assertThat(arrived).as("order of %s", endpoint).containsExactlyElementsOf(sent);
    }
    assertThat(count("SELECT count(*) FROM webhook_outbox WHERE state = 'delivered'"))
        .isEqualTo(ids.size());
    assertThat(stats.of("team-a/ops").consecutiveFailures()).isZero();
  }

  @Test
  void goneDisablesTheSubscriptionAndGivesUpItsEvents() throws Exception {
    enqueue(3);
    receiverUp(410);
    dispatcher();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("SELECT count(*) FROM webhook_outbox WHERE state = 'pending'") == 0);

    assertThat(received).hasSize(1);
    assertThat(count("SELECT count(*) FROM webhook_outbox WHERE state = 'failed'")).isEqualTo(6);
    // The dispatcher records the 410 in its stats after it gave the rows up.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(stats.of("team-a/ops")).isNotNull();
              assertThat(stats.of("team-a/ops").goneGeneration()).isEqualTo(1L);
            });
  }

  @Test
  void aHangingReceiverHoldsOnlyItsOwnSubscriber() throws Exception {
    HttpServer hanging = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hanging.createContext(
        "/",
        exchange -> {
          // never answers within the test
        });
    hanging.start();
    closing.add(() -> hanging.stop(0));
    subscriptions.put(
        new Subscription(
            "team-a/slow",
            "team-a",
            "uid-slow",
            1,
            URI.create("http://slow.team-a.svc:" + hanging.getAddress().getPort() + "/"),
            List.of(SECRET),
            Set.of(),
            null,
            false,
            false,
            null));
    Instant at = Instant.now();
    UUID id = UUID.randomUUID();
    database.ready();
    database
        .outbox()
        .enqueue(
            List.of(new OutboxEntry(id, "team-a/slow", "team-a/llama", "t", "{\"id\":\"x\"}", at)));
    List<UUID> ids = enqueue(2);
    receiverUp(200);
    dispatcher();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                count(
                        "SELECT count(*) FROM webhook_outbox WHERE subscriber = 'team-a/ops'"
                            + " AND state = 'delivered'")
                    == ids.size());
    assertThat(
            count(
                "SELECT count(*) FROM webhook_outbox WHERE subscriber = 'team-a/slow' AND state = 'pending'"))
        .isEqualTo(1);
  }
}
