package io.dormouse.ledger;

import com.zaxxer.hikari.HikariDataSource;
import io.dormouse.ledger.fault.Backoff;
import io.dormouse.ledger.fault.Failure;
import io.dormouse.ledger.schema.LedgerSchema;
import io.dormouse.ledger.spool.Spool;
import io.dormouse.ledger.store.DataSources;
import io.dormouse.ledger.store.DatabaseDown;
import io.dormouse.ledger.store.PartitionMaintenance;
import io.dormouse.ledger.store.RowStore;
import io.dormouse.ledger.store.SqlFailures;
import io.dormouse.ledger.writer.DatabaseGate;
import io.dormouse.ledger.writer.LedgerWriter;
import java.io.IOException;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger as a process uses it: a pool, the schema, the writer, partition upkeep.
 *
 * <p>{@link #start} never throws over the database: unreachable, wrong credentials, a schema of
 * another version, a full disk are each a {@link DatabaseStatus} (logged, and reported to {@link
 * LedgerMetrics}) while the writer spools; a connector thread tries again with back-off (1 s
 * doubling to 15 s) and the writer catches up when it succeeds.
 */
public final class Ledger implements AutoCloseable, DatabaseGate {

  private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);
  private static final Duration MAINTENANCE_EVERY = Duration.ofHours(1);

  private final LedgerSettings settings;
  private final LedgerMetrics metrics;
  private final Clock clock;
  private final HikariDataSource dataSource;
  private final ScheduledExecutorService connector;
  private final LedgerWriter writer;
  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(15));
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicBoolean connectScheduled = new AtomicBoolean();
  private volatile DatabaseStatus status;
  private volatile String schemaVersion = "";

  private Ledger(LedgerSettings settings, LedgerMetrics metrics, Clock clock) {
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
    this.status = DatabaseStatus.down(Failure.UNREACHABLE, "not connected yet", clock.instant());
    this.dataSource = DataSources.pool(settings, "dormouse-ledger", 4);
    this.connector =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ledger-connector");
              t.setDaemon(true);
              return t;
            });
    RowStore store =
        new RowStore(
            dataSource,
            clock,
            settings.usageRetentionDays(),
            (int) Math.max(1, settings.writeTimeout().toSeconds()));
    this.writer =
        new LedgerWriter(
            settings.bufferCapacity(),
            settings.batchSize(),
            settings.flushInterval(),
            openSpool(settings),
            store,
            this,
            metrics);
  }

  /** Starts the ledger; never throws because of the database. */
  public static Ledger start(LedgerSettings settings, LedgerMetrics metrics, Clock clock) {
    Ledger ledger = new Ledger(settings, metrics, clock);
    LOG.info("ledger: {}", settings);
    ledger.writer.start();
    ledger.scheduleConnect(Duration.ZERO);
    return ledger;
  }

  private static Spool openSpool(LedgerSettings settings) {
    try {
      return new Spool(settings.spoolDirectory());
    } catch (IOException | RuntimeException e) {
      LOG.error(
          "ledger: cannot open the spool in {} ({}); rows wait in memory only while the"
              + " database is down",
          settings.spoolDirectory(),
          e.toString());
      return null;
    }
  }

  public LedgerWriter writer() {
    return writer;
  }

  /** The pool, for the rollup and reports (never for a caller that must not wait). */
  public DataSource dataSource() {
    return dataSource;
  }

  public LedgerSettings settings() {
    return settings;
  }

  public DatabaseStatus status() {
    return status;
  }

  public String schemaVersion() {
    return schemaVersion;
  }

  public LedgerHealth health() {
    return new LedgerHealth(status, writer.pending(), writer.spooled());
  }

  @Override
  public boolean up() {
    return status.up();
  }

  @Override
  public void down(DatabaseDown cause) {
    setStatus(DatabaseStatus.down(cause.failure(), SqlFailures.message(cause), clock.instant()));
    scheduleConnect(backoff.after(failures.incrementAndGet()));
  }

  private void scheduleConnect(Duration delay) {
    if (connectScheduled.compareAndSet(false, true)) {
      try {
        connector.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        connectScheduled.set(false);
      }
    }
  }

  /** Migrates and makes partitions; up on success, else down and tried again later. */
  private void connect() {
    connectScheduled.set(false);
    try {
      schemaVersion = LedgerSchema.migrate(dataSource);
      maintainPartitions();
      failures.set(0);
      setStatus(DatabaseStatus.up(clock.instant()));
    } catch (Exception e) {
      Failure failure = SqlFailures.classify(e);
      setStatus(DatabaseStatus.down(failure, SqlFailures.message(e), clock.instant()));
      scheduleConnect(backoff.after(failures.incrementAndGet()));
    }
  }

  private void maintainPartitions() throws java.sql.SQLException {
    try (Connection c = dataSource.getConnection()) {
      PartitionMaintenance.apply(
          c, LocalDate.now(clock.withZone(ZoneOffset.UTC)), settings.usageRetentionDays());
    }
  }

  private void maintain() {
    if (!status.up()) {
      return;
    }
    try {
      maintainPartitions();
    } catch (Exception e) {
      LOG.warn("ledger: partition upkeep failed: {}", SqlFailures.message(e));
    }
  }

  private synchronized void setStatus(DatabaseStatus next) {
    DatabaseStatus before = status;
    status = next;
    if (before.up() != next.up() || before.failure() != next.failure()) {
      if (next.up()) {
        LOG.info("ledger: database up (schema version {})", schemaVersion);
        if (maintenanceStarted.compareAndSet(false, true)) {
          connector.scheduleWithFixedDelay(
              this::maintain,
              MAINTENANCE_EVERY.toMillis(),
              MAINTENANCE_EVERY.toMillis(),
              TimeUnit.MILLISECONDS);
        }
      } else {
        LOG.warn(
            "ledger: database down ({}): {}; rows go to the spool until it is back",
            next.failure(),
            next.message());
      }
      metrics.databaseState(next);
    }
  }

  private final AtomicBoolean maintenanceStarted = new AtomicBoolean();

  /** Stops: the writer writes or spools every row it took, then the pool closes. */
  @Override
  public void close() {
    writer.close();
    connector.shutdownNow();
    dataSource.close();
  }
}
