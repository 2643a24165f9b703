package io.dormouse.ledger.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.ledger.Ledger;
import io.dormouse.ledger.LedgerSettings;
import io.dormouse.ledger.embedded.EmbeddedPostgresServer;
import io.dormouse.ledger.fault.Failure;
import io.dormouse.ledger.testing.CountingMetrics;
import io.dormouse.ledger.testing.Rows;
import io.dormouse.ledger.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database away, refusing us or of another schema: the ledger starts anyway, spools, says why,
 * and catches up when it is fixed, every row exactly once. A server of its own, so it can be
 * stopped.
 */
class LedgerFaultsTest {

  @TempDir static Path data;
  static EmbeddedPostgresServer server;

  @TempDir Path spool;

  @BeforeAll
  static void startServer() {
    server = EmbeddedPostgresServer.start(data.resolve("pg"), 0);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void anOutageMidTrafficSpoolsAndEveryRowArrivesOnceWhenItIsBack() {
    TestDatabase db = TestDatabase.on(server, "outage");
    CountingMetrics metrics = new CountingMetrics();
    try (Ledger ledger = Ledger.start(db.settings(spool), metrics, Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> ledger.status().up());
      Instant now = Instant.now();
      for (int i = 0; i < 1_000; i++) {
        assertThat(ledger.writer().offer(Rows.usage("before-" + i, now))).isTrue();
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> db.count("SELECT count(*) FROM usage") == 1_000);

      server.stop();
      for (int i = 0; i < 2_000; i++) {
        assertThat(ledger.writer().offer(Rows.usage("during-" + i, now))).isTrue();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> ledger.writer().spooled() == 2_000);
      assertThat(ledger.status().up()).isFalse();
      assertThat(ledger.status().failure()).isEqualTo(Failure.UNREACHABLE);
      assertThat(metrics.state.get().up()).isFalse();

      server.startServer();
      for (int i = 0; i < 500; i++) {
        ledger.writer().offer(Rows.usage("after-" + i, now));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> db.count("SELECT count(*) FROM usage") == 3_500);
      await().atMost(Duration.ofSeconds(10)).until(() -> ledger.writer().pending() == 0);
      assertThat(db.count("SELECT count(DISTINCT request_id) FROM usage")).isEqualTo(3_500);
      assertThat(metrics.state.get().up()).isTrue();
    }
  }

  @Test
  void unreachableAtStartThenClosedSpoolsEverythingForTheNextRun() {
    TestDatabase db = TestDatabase.on(server, "startdown");
    server.stop();
    try {
      CountingMetrics metrics = new CountingMetrics();
      Ledger ledger = Ledger.start(db.settings(spool), metrics, Clock.systemUTC());
      Instant now = Instant.now();
      for (int i = 0; i < 700; i++) {
        ledger.writer().offer(Rows.usage("r-" + i, now));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> metrics.spooled.get() == 700);
      assertThat(ledger.status().failure()).isEqualTo(Failure.UNREACHABLE);
      ledger.close(); // a graceful stop while the database is away
    } finally {
      server.startServer();
    }
    try (Ledger next = Ledger.start(db.settings(spool), new CountingMetrics(), Clock.systemUTC())) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> db.count("SELECT count(*) FROM usage") == 700);
      await().atMost(Duration.ofSeconds(10)).until(() -> next.writer().pending() == 0);
    }
  }

  @Test
  void wrongCredentialsAreReportedAndCaughtUpOnceTheRoleExists() throws Exception {
    TestDatabase db = TestDatabase.on(server, "creds");
    LedgerSettings settings = LedgerSettings.of(db.jdbcUrl(), "late_role", "secret", spool);
    CountingMetrics metrics = new CountingMetrics();
    try (Ledger ledger = Ledger.start(settings, metrics, Clock.systemUTC())) {
      ledger.writer().offer(Rows.usage("c-1", Instant.now()));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ledger.status().failure() == Failure.CREDENTIALS);
      await().atMost(Duration.ofSeconds(10)).until(() -> ledger.writer().spooled() == 1);
      db.execute("CREATE ROLE late_role LOGIN SUPERUSER PASSWORD 'secret'");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> db.count("SELECT count(*) FROM usage") == 1);
    }
  }

  @Test
  void aSchemaOfAnotherVersionIsReportedAndNotWritten() throws Exception {
    TestDatabase db = TestDatabase.on(server, "schema");
    try (Ledger first =
        Ledger.start(db.settings(spool.resolve("a")), new CountingMetrics(), Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> first.status().up());
    }
    // a later Dormouse migrated this database past what this build knows
    db.execute(
        "INSERT INTO ledger_schema_history (installed_rank, version, description, type, script,"
            + " checksum, installed_by, execution_time, success) SELECT max(installed_rank) + 1,"
            + " '999', 'future', 'SQL', 'V999__future.sql', 1, 'postgres', 1, true"
            + " FROM ledger_schema_history");
    CountingMetrics metrics = new CountingMetrics();
    try (Ledger ledger =
        Ledger.start(db.settings(spool.resolve("b")), metrics, Clock.systemUTC())) {
      ledger.writer().offer(Rows.usage("s-1", Instant.now()));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ledger.status().failure() == Failure.SCHEMA);
      assertThat(ledger.status().message()).contains("999");
      await().atMost(Duration.ofSeconds(10)).until(() -> ledger.writer().spooled() == 1);
      assertThat(db.count("SELECT count(*) FROM usage")).isZero();
      db.execute("DELETE FROM ledger_schema_history WHERE version = '999'");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> db.count("SELECT count(*) FROM usage") == 1);
    }
  }
}
