package io.dormouse.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * {@link LedgerMetrics} as Micrometer meters, the names the chart's alerts read: counters {@code
 * dormouse_ledger_rows_{written,spooled,refused,dropped}_total}, gauges {@code
 * dormouse_ledger_database_up}, {@code dormouse_ledger_pending_rows} and {@code
 * dormouse_ledger_spooled_rows}. The gauges read the ledger's health once {@link #watch} has told
 * them where it is (the ledger is started with these metrics, so it exists only afterwards). Gauges
 * hold this object strongly: Micrometer keeps gauge sources weakly, and one nobody else holds would
 * read NaN after the next collection. One class for the gateway and the operator.
 */
public final class LedgerMeters implements LedgerMetrics {

  private final Counter written;
  private final Counter spooled;
  private final Counter refused;
  private final Counter dropped;
  private volatile Supplier<LedgerHealth> health;

  public LedgerMeters(MeterRegistry registry) {
    written = counter(registry, "written", "Rows stored in the ledger's database");
    spooled =
        counter(registry, "spooled", "Rows appended to the spool while the database was away");
    refused = counter(registry, "refused", "Rows the ledger's schema refused as impossible");
    dropped = counter(registry, "dropped", "Rows lost because the ledger's memory buffer was full");
    Gauge.builder("dormouse.ledger.database.up", this, m -> m.read(h -> h.database().up() ? 1 : 0))
        .description("1 while the ledger's database takes writes, else 0")
        .strongReference(true)
        .register(registry);
    Gauge.builder("dormouse.ledger.pending.rows", this, m -> m.read(LedgerHealth::pendingRows))
        .description("Rows not yet in the database: in memory and in the spool")
        .strongReference(true)
        .register(registry);
    Gauge.builder("dormouse.ledger.spooled.rows", this, m -> m.read(LedgerHealth::spooledRows))
        .description("Rows waiting in the spool file")
        .strongReference(true)
        .register(registry);
  }

  private static Counter counter(MeterRegistry registry, String what, String description) {
    return Counter.builder("dormouse.ledger.rows." + what)
        .description(description)
        .register(registry);
  }

  /** Where the gauges read from: the started ledger's {@link Ledger#health()}. */
  public void watch(Supplier<LedgerHealth> source) {
    health = source;
  }

  private double read(java.util.function.ToDoubleFunction<LedgerHealth> f) {
    Supplier<LedgerHealth> source = health;
    return source == null ? 0 : f.applyAsDouble(source.get());
  }

  @Override
  public void written(int rows) {
    written.increment(rows);
  }

  @Override
  public void spooled(int rows) {
    spooled.increment(rows);
  }

  @Override
  public void refused(int rows) {
    refused.increment(rows);
  }

  @Override
  public void dropped(int rows) {
    dropped.increment(rows);
  }
}
