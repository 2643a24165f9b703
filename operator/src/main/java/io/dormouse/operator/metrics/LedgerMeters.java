package io.dormouse.operator.metrics;

import io.dormouse.ledger.LedgerHealth;
import io.dormouse.ledger.LedgerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * The ledger's health as the chart's alerts read it: dormouse_ledger_rows_{written,spooled,refused,
 * dropped}_total, dormouse_ledger_pending_rows, dormouse_ledger_spooled_rows and
 * dormouse_ledger_database_up.
 */
public final class LedgerMeters implements LedgerMetrics {

  private final MeterRegistry registry;
  private final Counter written;
  private final Counter spooled;
  private final Counter refused;
  private final Counter dropped;

  public LedgerMeters(MeterRegistry registry) {
    this.registry = registry;
    this.written = rows("written", "Rows stored in the ledger's database, replays included");
    this.spooled = rows("spooled", "Rows put in the spool file while the database was away");
    this.refused = rows("refused", "Rows the database refused as impossible (logged)");
    this.dropped = rows("dropped", "Rows lost because the memory buffer was full");
  }

  private Counter rows(String what, String description) {
    return Counter.builder("dormouse.ledger.rows." + what)
        .description(description)
        .register(registry);
  }

  /**
   * The gauges, read from the running ledger. Held strongly: Micrometer keeps gauge sources weakly,
   * and a method reference nobody else holds would read NaN after the next collection.
   */
  public void bind(Supplier<LedgerHealth> health) {
    Gauge.builder("dormouse.ledger.pending.rows", health, h -> h.get().pendingRows())
        .description("Rows not yet in the database: in memory and in the spool")
        .strongReference(true)
        .register(registry);
    Gauge.builder("dormouse.ledger.spooled.rows", health, h -> h.get().spooledRows())
        .description("Rows waiting in the spool file")
        .strongReference(true)
        .register(registry);
    Gauge.builder("dormouse.ledger.database.up", health, h -> h.get().database().up() ? 1 : 0)
        .description("1 while the ledger's database takes writes")
        .strongReference(true)
        .register(registry);
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
