package io.dormouse.ledger.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dormouse.ledger.Ledger;
import io.dormouse.ledger.report.CostLine;
import io.dormouse.ledger.report.Dimension;
import io.dormouse.ledger.report.EndpointTotals;
import io.dormouse.ledger.report.ReportQuery;
import io.dormouse.ledger.report.Reports;
import io.dormouse.ledger.report.UsageLine;
import io.dormouse.ledger.testing.CountingMetrics;
import io.dormouse.ledger.testing.Rows;
import io.dormouse.ledger.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollupAndReportsTest {

  @TempDir static Path spool;
  static TestDatabase db;
  static Ledger ledger;
  static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
  static final Instant TODAY_START = TODAY.atStartOfDay(ZoneOffset.UTC).toInstant();
  static final Instant YESTERDAY_NOON = TODAY_START.minus(Duration.ofHours(12));
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @BeforeAll
  static void record() {
    db = TestDatabase.fresh(RollupAndReportsTest.class);
    ledger = Ledger.start(db.settings(spool), new CountingMetrics(), CLOCK);
    await().atMost(Duration.ofSeconds(30)).until(() -> ledger.status().up());
    var w = ledger.writer();
    // yesterday: search 2 requests on llama; today: search 3 on llama, support 1 on llama,
    // search 1 on mistral
    w.offer(Rows.usage("y1", YESTERDAY_NOON, "search", "team-a", "llama", 100, 10));
    w.offer(Rows.usage("y2", YESTERDAY_NOON, "search", "team-a", "llama", 50, 5));
    w.offer(Rows.usage("t1", TODAY_START, "search", "team-a", "llama", 1, 2));
    w.offer(Rows.usage("t2", TODAY_START, "search", "team-a", "llama", 3, 4));
    w.offer(Rows.usage("t3", TODAY_START, "search", "team-a", "llama", 5, 6));
    w.offer(Rows.usage("t4", TODAY_START, "support", "team-a", "llama", 7, 8));
    w.offer(Rows.usage("t5", TODAY_START, "search", "team-b", "mistral", 9, 10));
    // GPU: llama on spot across midnight (2 GPUs, 1.50/h), mistral on on-demand still open
    w.offer(
        Rows.gpu(
            "p1",
            "llama",
            "spot",
            2,
            "1.50",
            TODAY_START.minus(Duration.ofHours(1)),
            TODAY_START.plus(Duration.ofMinutes(30))));
    w.offer(
        Rows.gpu("p2", "mistral", "on-demand", 1, "4.00", NOW.minus(Duration.ofHours(1)), null));
    await().atMost(Duration.ofSeconds(10)).until(() -> db.count("SELECT count(*) FROM usage") == 7);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> db.count("SELECT count(*) FROM gpu_interval") == 2);
  }

  @AfterAll
  static void stop() {
    ledger.close();
  }

  @Test
  void theDailyRecordsAreTheSumsOfTheRowsAndASecondRunChangesNothing() throws Exception {
    DailyRollup rollup = new DailyRollup(ledger.dataSource(), CLOCK, 30);
    var plan = rollup.run();
    assertThat(plan.days()).contains(TODAY, TODAY.minusDays(1));
    String snapshot = snapshot();
    rollup.run();
    assertThat(snapshot()).isEqualTo(snapshot);

    assertThat(db.count("SELECT sum(requests) FROM daily_usage")).isEqualTo(7);
    assertThat(db.count("SELECT sum(input_tokens) FROM daily_usage"))
        .isEqualTo(db.count("SELECT sum(prompt_tokens) FROM usage"));
    assertThat(db.count("SELECT sum(output_tokens) FROM daily_usage"))
        .isEqualTo(db.count("SELECT sum(completion_tokens) FROM usage"));
    assertThat(
            db.count(
                "SELECT quantity FROM billing_record WHERE resource = 'meta-llama/Llama-3-8B-input'"
                    + " AND project = 'search' AND endpoint = 'llama' AND day = current_date - 1"))
        .isEqualTo(150);
  }

  @Test
  void reportsGroupUsageByProjectEndpointModelTierAndDay() throws Exception {
    new DailyRollup(ledger.dataSource(), CLOCK, 30).run();
    Reports reports = new Reports(ledger.dataSource());
    List<UsageLine> byProject =
        reports.usage(ReportQuery.of(TODAY.minusDays(1), TODAY, Dimension.PROJECT));
    assertThat(byProject)
        .containsExactly(
            new UsageLine(List.of("search"), 6, 168, 37),
            new UsageLine(List.of("support"), 1, 7, 8));
    List<UsageLine> todayByEndpoint =
        reports.usage(ReportQuery.of(TODAY, TODAY, Dimension.ENDPOINT, Dimension.TIER));
    assertThat(todayByEndpoint)
        .containsExactly(
            new UsageLine(List.of("team-a/llama", "spot"), 4, 16, 20),
            new UsageLine(List.of("team-b/mistral", "spot"), 1, 9, 10));
    assertThat(reports.usage(ReportQuery.of(TODAY, TODAY, Dimension.MODEL)))
        .extracting(UsageLine::requests)
        .containsExactly(5L);
  }

  @Test
  void costIsGpuHoursTimesThePriceTheIntervalStartedWith() throws Exception {
    new DailyRollup(ledger.dataSource(), CLOCK, 30).run();
    Reports reports = new Reports(ledger.dataSource());
    List<CostLine> byDay =
        reports.cost(ReportQuery.of(TODAY.minusDays(1), TODAY, Dimension.DAY, Dimension.ENDPOINT));
    assertThat(byDay)
        .extracting(
            l -> l.keys().get(1),
            l -> l.gpuHours().stripTrailingZeros().toPlainString(),
            l -> l.cost().stripTrailingZeros().toPlainString())
        .containsExactly(
            // yesterday: 1 h × 2 GPUs × 1.50
            org.assertj.core.groups.Tuple.tuple("team-a/llama", "2", "3"),
            // today: 0.5 h × 2 GPUs × 1.50; mistral (team-a) open for an hour × 4.00
            org.assertj.core.groups.Tuple.tuple("team-a/llama", "1", "1.5"),
            org.assertj.core.groups.Tuple.tuple("team-a/mistral", "1", "4"));
    assertThatThrownBy(() -> reports.cost(ReportQuery.of(TODAY, TODAY, Dimension.PROJECT)))
        .hasMessageContaining("per endpoint and tier");
  }

  @Test
  void endpointTotalsGiveTodayAndTheMonth() throws Exception {
    new DailyRollup(ledger.dataSource(), CLOCK, 30).run();
    var totals = new Reports(ledger.dataSource()).endpointTotals(TODAY);
    EndpointTotals llama = totals.get(List.of("team-a", "llama"));
    assertThat(llama.requestsToday()).isEqualTo(4);
    assertThat(llama.inputTokensToday()).isEqualTo(16);
    assertThat(llama.costToday()).isEqualByComparingTo("1.5");
    assertThat(llama.costMonth()).isEqualByComparingTo(TODAY.getDayOfMonth() == 1 ? "1.5" : "4.5");
    assertThat(llama.currency()).isEqualTo("USD");
  }

  private static String snapshot() throws Exception {
    StringBuilder out = new StringBuilder();
    try (var c = db.connect();
        var s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT d::text FROM daily_usage d UNION ALL SELECT g::text FROM daily_gpu_cost g"
                    + " ORDER BY 1")) {
      while (rs.next()) {
        out.append(rs.getString(1)).append('\n');
      }
    }
    return out.toString();
  }
}
