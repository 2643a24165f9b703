package io.dormouse.bench.ledger;

import io.dormouse.ledger.Ledger;
import io.dormouse.ledger.LedgerMetrics;
import io.dormouse.ledger.LedgerSettings;
import io.dormouse.ledger.embedded.EmbeddedPostgresServer;
import io.dormouse.ledger.rows.UsageRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How many usage rows a second the ledger's writer stores: one producer offers rows as fast as the
 * writer takes them, into a real PostgreSQL 17 (embedded, fsync on), and the clock stops when the
 * last row is in the database.
 */
@Command(name = "ledger-writer", mixinStandardHelpOptions = true)
public final class LedgerWriterBench implements Callable<Integer> {

  @Option(
      names = "--rows",
      defaultValue = "500000",
      description = "Rows to write (default ${DEFAULT-VALUE}).")
  long rows;

  @Option(
      names = "--endpoints",
      defaultValue = "20",
      description = "Distinct endpoints (default ${DEFAULT-VALUE}).")
  int endpoints;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LedgerWriterBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("dormouse-ledger-bench-");
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.resolve("pg"), 0)) {
      String url = server.createDatabase("bench");
      AtomicLong written = new AtomicLong();
      AtomicLong refused = new AtomicLong();
      LedgerMetrics metrics =
          new LedgerMetrics() {
            @Override
            public void written(int n) {
              written.addAndGet(n);
            }

            @Override
            public void refused(int n) {
              refused.addAndGet(n);
            }
          };
      LedgerSettings settings =
          LedgerSettings.of(url, EmbeddedPostgresServer.USER, "", dir.resolve("spool"));
      try (Ledger ledger = Ledger.start(settings, metrics, Clock.systemUTC())) {
        while (!ledger.status().up()) {
          Thread.onSpinWait();
        }
        Instant at = Instant.now();
        long offered = 0;
        long refusedOffers = 0;
        long start = System.nanoTime();
        while (offered < rows) {
          if (ledger.writer().offer(row(offered, at))) {
            offered++;
          } else {
            refusedOffers++;
            // the buffer is full: give the writer the CPU instead of spinning against it
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
          }
        }
        long offeredNanos = System.nanoTime() - start;
        while (written.get() + refused.get() < rows) {
          Thread.sleep(5);
        }
        long nanos = System.nanoTime() - start;
        long stored;
        try (Connection c = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, "");
            Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) FROM usage")) {
          rs.next();
          stored = rs.getLong(1);
        }
        System.out.printf(
            "ledger writer: %d rows stored (%d in the table) in %.2f s = %.0f rows/s"
                + " (offered in %.2f s; %d offers found the buffer full and were retried)%n",
            rows, stored, nanos / 1e9, rows / (nanos / 1e9), offeredNanos / 1e9, refusedOffers);
        return stored == rows ? 0 : 1;
      }
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private UsageRow row(long i, Instant at) {
    String endpoint = "endpoint-" + (i % endpoints);
    return new UsageRow(
        "bench-" + i,
        at.plusNanos(i * 1000),
        "team-a",
        endpoint,
        endpoint,
        "meta-llama/Llama-3-8B-Instruct",
        "spot",
        "127.0.1." + (i % 200) + ":8000",
        "project-" + (i % 7),
        "dm-key" + (i % 50),
        (int) (i % 4000),
        64,
        false,
        200,
        300 + (int) (i % 5000),
        (int) (i % 300),
        0,
        i % 2 == 0);
  }
}
