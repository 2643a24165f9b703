package io.dormouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.ledger.Ledger;
import io.dormouse.ledger.LedgerMetrics;
import io.dormouse.ledger.LedgerSettings;
import io.dormouse.ledger.billing.DailyRollup;
import io.dormouse.ledger.embedded.EmbeddedPostgresServer;
import io.dormouse.ledger.rows.GpuInterval;
import io.dormouse.ledger.rows.UsageRow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DormouseMainTest {

  @TempDir static Path spool;
  static String url;
  static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

  @BeforeAll
  static void ledgerWithADay() throws Exception {
    url = EmbeddedPostgresServer.shared().freshDatabase("cli");
    Instant start = TODAY.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    try (Ledger ledger =
        Ledger.start(
            LedgerSettings.of(url, EmbeddedPostgresServer.USER, "", spool),
            LedgerMetrics.NONE,
            Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> ledger.status().up());
      ledger.writer().offer(usage("a", start, "search", 10, 1));
      ledger.writer().offer(usage("b", start, "search", 20, 2));
      ledger.writer().offer(usage("c", start, "support-bot", 5, 5));
      ledger
          .writer()
          .offer(
              new GpuInterval(
                  "uid-1",
                  "team-a",
                  "llama",
                  "spot",
                  "llama-spot-1",
                  "node-1",
                  2,
                  new BigDecimal("1.25"),
                  "USD",
                  now.minus(Duration.ofHours(1)).isBefore(start)
                      ? start
                      : now.minus(Duration.ofHours(1)),
                  now));
    }
    try (var c = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, "")) {
      assertThat(c.createStatement().executeQuery("SELECT 1 FROM usage").next()).isTrue();
    }
    new DailyRollup(
            new org.postgresql.ds.PGSimpleDataSource() {
              {
                setUrl(url);
                setUser(EmbeddedPostgresServer.USER);
              }
            },
            Clock.systemUTC(),
            30)
        .run();
  }

  @Test
  void usageByProjectAsCsv() {
    Run run = run("usage", "--db", url, "--db-user", "postgres", "--by", "project", "-o", "csv");
    assertThat(run.code).isZero();
    assertThat(run.out)
        .isEqualTo(
            "project,requests,input_tokens,output_tokens\n"
                + "search,2,30,3\n"
                + "support-bot,1,5,5\n");
  }

  @Test
  void usageByModelAndDayAsJson() {
    Run run =
        run(
            "usage",
            "--db",
            url,
            "--db-user",
            "postgres",
            "--by",
            "model,day",
            "-o",
            "json",
            "--from",
            TODAY.toString(),
            "--to",
            TODAY.toString());
    assertThat(run.code).isZero();
    assertThat(run.out)
        .contains("\"model\" : \"meta-llama/Llama-3-8B\"")
        .contains("\"day\" : \"" + TODAY + "\"")
        .contains("\"requests\" : 3");
  }

  @Test
  void costByEndpointAndTierAsATable() {
    Run run = run("cost", "--db", url, "--db-user", "postgres", "--by", "endpoint,tier");
    assertThat(run.code).isZero();
    assertThat(run.out).startsWith("ENDPOINT      TIER  GPU_HOURS      COST  CURRENCY\n");
    assertThat(run.out).contains("team-a/llama  spot").contains("USD");
  }

  @Test
  void badInputIsAClearErrorAndExitCode2() {
    assertThat(run("cost", "--db", url, "--by", "project").err)
        .contains("GPU cost is recorded per endpoint and tier");
    Run bad = run("usage", "--db", url, "--by", "colour");
    assertThat(bad.code).isEqualTo(2);
    assertThat(bad.err).contains("unknown grouping 'colour'");
    assertThat(run("usage", "--db", url, "--from", "2025-03-10", "--to", "2025-03-01").err)
        .contains("starts (2025-03-10) after it ends");
    assertThat(run("usage", "--db", url, "-o", "xml").err).contains("table, csv or json");
  }

  @Test
  void anUnreachableLedgerIsReportedNotAStackTrace() {
    Run run = run("usage", "--db", "jdbc:postgresql://127.0.0.1:1/nothing");
    assertThat(run.code).isEqualTo(1);
    assertThat(run.err)
        .startsWith("could not read the ledger at jdbc:postgresql://127.0.0.1:1/nothing");
  }

  @Test
  void keysIsASubcommand() {
    Run run = run("keys", "create", "--project", "search");
    assertThat(run.code).isZero();
    // KeysMain owns its output format; here only that it runs under dormouse
    assertThat(run.out).contains("Secret").contains("search");
  }

  private static UsageRow usage(String id, Instant at, String project, int in, int out) {
    return new UsageRow(
        id,
        at,
        "team-a",
        "llama",
        "llama",
        "meta-llama/Llama-3-8B",
        "spot",
        "127.0.1.1:8000",
        project,
        "dm-1",
        in,
        out,
        false,
        200,
        50,
        5,
        0,
        false);
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = DormouseMain.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
