package io.dormouse.ledger.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.ledger.Ledger;
import io.dormouse.ledger.rows.JournalEntry;
import io.dormouse.ledger.rows.UsageRow;
import io.dormouse.ledger.testing.CountingMetrics;
import io.dormouse.ledger.testing.Rows;
import io.dormouse.ledger.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerWriterTest {

  @TempDir Path spool;
  TestDatabase db;
  CountingMetrics metrics;
  Ledger ledger;

  @BeforeEach
  void start() {
    db = TestDatabase.fresh(LedgerWriterTest.class);
    metrics = new CountingMetrics();
    ledger = Ledger.start(db.settings(spool), metrics, Clock.systemUTC());
    await().atMost(Duration.ofSeconds(30)).until(() -> ledger.status().up());
  }

  @AfterEach
  void stop() {
    ledger.close();
  }

  @Test
  void everyRowIsStoredOnceAndSoon() {
    Instant now = Instant.now();
    for (int i = 0; i < 5_000; i++) {
      assertThat(ledger.writer().offer(Rows.usage("req-" + i, now))).isTrue();
    }
    // a replay of the same request (same id, same time) is stored once
    ledger.writer().offer(Rows.usage("req-7", now));
    ledger
        .writer()
        .offer(
            new JournalEntry(
                UUID.randomUUID(), now, "team-a", "llama", "Waking", "spot", 1, null, "demand"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> db.count("SELECT count(*) FROM usage") == 5_000);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> db.count("SELECT count(*) FROM journal") == 1);
    assertThat(db.count("SELECT count(*) FROM route")).isEqualTo(1);
    assertThat(db.count("SELECT sum(prompt_tokens) FROM usage")).isEqualTo(50_000);
    assertThat(metrics.refused.get()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> ledger.writer().pending() == 0);
    assertThat(metrics.spooled.get()).isZero();
  }

  @Test
  void impossibleRowsAreRefusedAndCountedWhileTheRestOfTheirBatchIsStored() {
    Instant now = Instant.now();
    for (int i = 0; i < 10; i++) {
      ledger.writer().offer(Rows.usage("ok-" + i, now));
    }
    ledger.writer().offer(Rows.usage("neg", now, "search", "team-a", "llama", -5, 1));
    ledger.writer().offer(Rows.usage("proj", now, "Not A Label", "team-a", "llama", 1, 1));
    ledger.writer().offer(Rows.usage("ns", now, "search", "Bad_Namespace", "llama", 1, 1));
    ledger
        .writer()
        .offer(
            new JournalEntry(
                UUID.randomUUID(), now, "team-a", "llama", "no such kind", null, null, null, "x"));
    for (int i = 10; i < 20; i++) {
      ledger.writer().offer(Rows.usage("ok-" + i, now));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.refused.get() == 4);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> db.count("SELECT count(*) FROM usage") == 20);
    assertThat(db.count("SELECT count(*) FROM usage WHERE request_id LIKE 'ok-%'")).isEqualTo(20);
    assertThat(db.count("SELECT count(*) FROM journal")).isZero();
  }

  @Test
  void aGpuIntervalOpenedTwiceThenClosedIsOneClosedInterval() {
    Instant start = Instant.parse("2025-03-10T10:00:00Z");
    var open = Rows.gpu("pod-uid-1", "llama", "spot", 2, "1.50", start, null);
    ledger.writer().offer(open);
    ledger.writer().offer(open); // an operator restart sees the same pod again
    ledger.writer().offer(open.closedAt(start.plusSeconds(3600)));
    ledger.writer().offer(open); // a late re-open never reopens it
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> db.count("SELECT count(*) FROM gpu_interval WHERE ended_at IS NOT NULL") == 1);
    assertThat(db.count("SELECT count(*) FROM gpu_interval")).isEqualTo(1);
    assertThat(
            db.count("SELECT extract(epoch FROM ended_at - started_at)::bigint FROM gpu_interval"))
        .isEqualTo(3600);
  }

  @Test
  void rowsOfADayWithoutAPartitionGetOneWhenWithinRetention() {
    Instant tenDaysAgo = Instant.now().minus(Duration.ofDays(10));
    Instant longAgo = Instant.now().minus(Duration.ofDays(90));
    ledger.writer().offer(Rows.usage("late", tenDaysAgo));
    ledger.writer().offer(Rows.usage("too-old", longAgo));
    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.refused.get() == 1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> db.count("SELECT count(*) FROM usage WHERE request_id = 'late'") == 1);
  }

  @Test
  void closingWritesEverythingTaken() {
    Instant now = Instant.now();
    for (int i = 0; i < 3_000; i++) {
      ledger.writer().offer(Rows.usage("c-" + i, now));
    }
    ledger.close();
    assertThat(db.count("SELECT count(*) FROM usage")).isEqualTo(3_000);
    assertThat(ledger.writer().offer(Rows.usage("after", now))).isFalse();
    assertThat(metrics.dropped.get()).isEqualTo(1);
  }

  static UsageRow row(String id) {
    return Rows.usage(id, Instant.now());
  }
}
