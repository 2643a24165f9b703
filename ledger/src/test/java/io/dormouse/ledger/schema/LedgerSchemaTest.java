package io.dormouse.ledger.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.dormouse.ledger.store.DataSources;
import io.dormouse.ledger.store.PartitionMaintenance;
import io.dormouse.ledger.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LedgerSchemaTest {

  static TestDatabase db;

  @BeforeAll
  static void migrate() throws SQLException {
    db = TestDatabase.fresh(LedgerSchemaTest.class);
    try (HikariDataSource ds = DataSources.pool(db.settings(Path.of("unused")), "t", 2)) {
      assertThat(LedgerSchema.migrate(ds)).isEqualTo("2.1");
      try (Connection c = ds.getConnection()) {
        PartitionMaintenance.apply(c, LocalDate.now(), 30);
      }
    }
    db.execute(
        "INSERT INTO route (namespace, endpoint, served_name, model) VALUES"
            + " ('team-a', 'llama', 'llama', 'meta-llama/Llama-3-8B')");
  }

  @Test
  void severalProcessesMigratingAtOnceApplyEachMigrationOnce() throws Exception {
    TestDatabase fresh = TestDatabase.fresh(LedgerSchemaTest.class);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<String>> results = new ArrayList<>();
    List<HikariDataSource> sources = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        HikariDataSource ds = DataSources.pool(fresh.settings(Path.of("unused")), "m" + i, 2);
        sources.add(ds);
        results.add(pool.submit((Callable<String>) () -> LedgerSchema.migrate(ds)));
      }
      for (Future<String> f : results) {
        assertThat(f.get()).isEqualTo("2.1");
      }
    } finally {
      pool.shutdownNow();
      sources.forEach(HikariDataSource::close);
    }
    assertThat(
            fresh.count(
                "SELECT count(*) - count(DISTINCT version) FROM ledger_schema_history WHERE success"))
        .isZero();
  }

  @Test
  void aPlausibleUsageRowIsStored() throws SQLException {
    db.execute(usage("'ok-1'", "10", "20", "200", "'team-a'"));
    assertThat(db.count("SELECT count(*) FROM usage WHERE request_id = 'ok-1'")).isEqualTo(1);
  }

  @ParameterizedTest(name = "refuses {0}")
  @ValueSource(
      strings = {
        "negative prompt tokens",
        "negative completion tokens",
        "status 700",
        "an unknown route",
        "an empty request id",
        "time to first byte after the end",
        "a project that is no DNS label",
      })
  void refusesImpossibleUsage(String what) {
    String sql =
        switch (what) {
          case "negative prompt tokens" -> usage("'r1'", "-1", "20", "200", "'team-a'");
          case "negative completion tokens" -> usage("'r2'", "1", "-20", "200", "'team-a'");
          case "status 700" -> usage("'r3'", "1", "2", "700", "'team-a'");
          case "an unknown route" ->
              usage("'r4'", "1", "2", "200", "'team-a'")
                  .replace("(SELECT id FROM route LIMIT 1)", "99999");
          case "an empty request id" -> usage("''", "1", "2", "200", "'team-a'");
          case "time to first byte after the end" ->
              usage("'r6'", "1", "2", "200", "'team-a'").replace("15, 0, true", "500, 0, true");
          default -> usage("'r7'", "1", "2", "200", "'Team A'");
        };
    assertThatThrownBy(() -> db.execute(sql))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("23"));
  }

  @Test
  void refusesImpossibleIntervalsAndJournalEntries() {
    assertThatThrownBy(
            () ->
                db.execute(
                    "INSERT INTO gpu_interval VALUES ('u1', 'team-a', 'llama', 'spot', 'p', 'n',"
                        + " 0, 1.0, 'USD', now(), NULL)"))
        .hasMessageContaining("gpus");
    assertThatThrownBy(
            () ->
                db.execute(
                    "INSERT INTO gpu_interval VALUES ('u2', 'team-a', 'llama', 'spot', 'p', 'n',"
                        + " 1, -1.0, 'USD', now(), NULL)"))
        .hasMessageContaining("price_per_gpu_hour");
    assertThatThrownBy(
            () ->
                db.execute(
                    "INSERT INTO gpu_interval VALUES ('u3', 'team-a', 'llama', 'spot', 'p', 'n',"
                        + " 1, 1.0, 'USD', now(), now() - interval '1 hour')"))
        .hasMessageContaining("check");
    assertThatThrownBy(
            () ->
                db.execute(
                    "INSERT INTO journal VALUES (gen_random_uuid(), now(), 'team-a', 'llama',"
                        + " 'not a kind', NULL, NULL, NULL, 'x')"))
        .hasMessageContaining("kind");
  }

  @Test
  void indexesAreDeclaredOnThePartitionedParentAndReachEveryPartition() {
    long partitions =
        db.count(
            "SELECT count(*) FROM pg_inherits JOIN pg_class p ON p.oid = inhparent"
                + " WHERE p.relname = 'usage'");
    assertThat(partitions).isGreaterThanOrEqualTo(9);
    // every partition has the parent's two indexes and its key
    assertThat(db.count("SELECT count(*) FROM pg_indexes WHERE tablename LIKE 'usage_p%'"))
        .isEqualTo(partitions * 3);
  }

  private static String usage(String id, String in, String out, String status, String ns) {
    return "INSERT INTO usage (at, request_id, route_id, tier, backend, project, key_id,"
        + " prompt_tokens, completion_tokens, usage_estimated, status, latency_ms, ttfb_ms,"
        + " wake_wait_ms, streamed) VALUES (now(), "
        + id
        + ", (SELECT id FROM route LIMIT 1), 'spot', '127.0.0.1:8000', "
        + ns.replace("team-a", "search")
        + ", 'dm-1', "
        + in
        + ", "
        + out
        + ", false, "
        + status
        + ", 100, 15, 0, true)";
  }
}
