package io.dormouse.ledger.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.dormouse.ledger.schema.LedgerSchema;
import io.dormouse.ledger.store.DataSources;
import io.dormouse.ledger.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox on the shared embedded PostgreSQL. */
class WebhookOutboxTest {

  static final Instant T0 = Instant.parse("2025-03-10T12:00:00Z");
  static TestDatabase db;
  static HikariDataSource ds;
  WebhookOutbox outbox;

  @BeforeAll
  static void migrate() {
    db = TestDatabase.fresh(WebhookOutboxTest.class);
    ds = DataSources.pool(db.settings(Path.of("unused")), "t", 2);
    LedgerSchema.migrate(ds);
  }

  @AfterAll
  static void close() {
    ds.close();
  }

  @BeforeEach
  void empty() throws SQLException {
    db.execute("TRUNCATE webhook_outbox");
    outbox = new WebhookOutbox(ds);
  }

  static OutboxEntry entry(UUID id, String subscriber, String endpoint, int second) {
    return new OutboxEntry(
        id,
        subscriber,
        endpoint,
        "io.dormouse.endpoint.ready",
        "{\"id\": \"" + id + "\", \"n\": " + second + "}",
        T0.plusSeconds(second));
  }

  @Test
  void oneEventFansOutUnderOneIdAndEnqueuingItAgainAddsNothing() throws SQLException {
    UUID id = UUID.randomUUID();
    List<OutboxEntry> fanOut =
        List.of(entry(id, "a/ops", "a/llama", 0), entry(id, "a/billing", "a/llama", 0));

    assertThat(outbox.enqueue(fanOut)).isEqualTo(2);
    assertThat(outbox.enqueue(fanOut)).isZero();
    assertThat(outbox.pendingCounts()).containsEntry("a/ops", 1).containsEntry("a/billing", 1);
  }

  @Test
  void theHeadOfEachSubscriberAndEndpointIsItsOldestPendingEventInEnqueueOrder()
      throws SQLException {
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    // Same created_at for the two: enqueue order decides, not the clock.
    outbox.enqueue(
        List.of(
            entry(first, "a/ops", "a/llama", 5),
            entry(second, "a/ops", "a/llama", 5),
            entry(other, "a/ops", "a/mistral", 9)));

    assertThat(outbox.heads()).extracting(Pending::id).containsExactlyInAnyOrder(first, other);

    outbox.delivered("a/ops", first, 1, T0.plusSeconds(10));

    assertThat(outbox.heads()).extracting(Pending::id).containsExactlyInAnyOrder(second, other);
    assertThat(outbox.heads().get(0).payload()).contains("\"n\"");
  }

  @Test
  void aRetryKeepsTheHeadInPlaceWithItsAttemptAndTime() throws SQLException {
    UUID id = UUID.randomUUID();
    outbox.enqueue(
        List.of(entry(id, "a/ops", "a/llama", 0), entry(UUID.randomUUID(), "a/ops", "a/llama", 1)));

    outbox.retryAt("a/ops", id, 3, T0.plusSeconds(60), "HTTP 503");

    Pending head = outbox.heads().get(0);
    assertThat(head.id()).isEqualTo(id);
    assertThat(head.attempts()).isEqualTo(3);
    assertThat(head.nextAttemptAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(db.count("SELECT count(*) FROM webhook_outbox WHERE last_error = 'HTTP 503'"))
        .isEqualTo(1);
  }

  @Test
  void aDeadLetterUnblocksTheNextEventAndStaysForInspection() throws SQLException {
    UUID dead = UUID.randomUUID();
    UUID next = UUID.randomUUID();
    outbox.enqueue(List.of(entry(dead, "a/ops", "a/llama", 0), entry(next, "a/ops", "a/llama", 1)));

    outbox.deadLetter("a/ops", dead, 40, "gave up after 24h: HTTP 500", T0.plusSeconds(86_400));

    assertThat(outbox.heads()).extracting(Pending::id).containsExactly(next);
    assertThat(db.count("SELECT count(*) FROM webhook_outbox WHERE state = 'failed'")).isEqualTo(1);
  }

  @Test
  void abandoningASubscriberLeavesTheOthersPending() throws SQLException {
    UUID id = UUID.randomUUID();
    outbox.enqueue(
        List.of(
            entry(id, "a/ops", "a/llama", 0),
            entry(UUID.randomUUID(), "a/ops", "a/llama", 1),
            entry(id, "a/billing", "a/llama", 0)));

    assertThat(outbox.abandon("a/ops", "410 Gone", T0)).isEqualTo(2);
    assertThat(outbox.pendingCounts()).containsOnlyKeys("a/billing");
  }

  @Test
  void anAttemptOnAFinishedEventChangesNothing() throws SQLException {
    UUID id = UUID.randomUUID();
    outbox.enqueue(List.of(entry(id, "a/ops", "a/llama", 0)));
    outbox.delivered("a/ops", id, 1, T0);

    // A leader that lost the lead mid-attempt reports late: the row stays delivered.
    outbox.retryAt("a/ops", id, 2, T0.plusSeconds(5), "timeout");

    assertThat(outbox.heads()).isEmpty();
    assertThat(db.count("SELECT count(*) FROM webhook_outbox WHERE state = 'delivered'"))
        .isEqualTo(1);
  }
}
