package io.dormouse.operator.ledger;

import io.dormouse.api.v1alpha1.EndpointUsage;
import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.ledger.Ledger;
import io.dormouse.ledger.LedgerMetrics;
import io.dormouse.ledger.LedgerSettings;
import io.dormouse.ledger.billing.DailyRollup;
import io.dormouse.ledger.report.EndpointTotals;
import io.dormouse.ledger.report.Reports;
import io.dormouse.ledger.rows.GpuInterval;
import io.dormouse.ledger.rows.JournalEntry;
import io.dormouse.ledger.store.GpuIntervalReads;
import io.dormouse.ledger.store.SqlFailures;
import io.dormouse.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's side of the ledger: the journal, GPU intervals, the daily rollup and the figures
 * endpoint status shows. The leader alone acts: the reconciler hands it the informers on its first
 * reconcile, which only a leader runs.
 *
 * <p>Nothing here waits for the database on the reconciler's path: rows go to the ledger's writer
 * (memory, then database or fsynced spool); the rollup and the reading of totals run on a thread of
 * their own. With the ledger off, GPU intervals are still followed for the cost counter.
 */
public final class OperatorLedger implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorLedger.class);

  /** How often pods are swept for intervals nobody reconciled (an endpoint deleted, say). */
  static final Duration SWEEP_EVERY = Duration.ofSeconds(5);

  private final Ledger ledger;
  private final Clock clock;
  private final OperatorMetrics metrics;
  private final Duration rollupInterval;
  private final GpuIntervals intervals;
  private final ScheduledExecutorService scheduler;
  private volatile Supplier<Collection<Pod>> pods;
  private volatile Supplier<Map<String, GpuTier>> tiers;
  private volatile Map<List<String>, EndpointTotals> totals;
  private volatile boolean adopted;
  private Instant lastRollup;
  private String lastProblem = "";

  private OperatorLedger(
      Ledger ledger, Clock clock, OperatorMetrics metrics, Duration rollupInterval) {
    this.ledger = ledger;
    this.clock = clock;
    this.metrics = metrics;
    this.rollupInterval = rollupInterval;
    this.intervals = new GpuIntervals(clock.instant());
    this.adopted = ledger == null;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "operator-ledger");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts the ledger when {@code settings} is not null (it never throws over the database), and
   * the sweep and rollup thread.
   */
  public static OperatorLedger start(
      LedgerSettings settings,
      LedgerMetrics ledgerMetrics,
      OperatorMetrics metrics,
      Clock clock,
      Duration rollupInterval) {
    Ledger ledger = settings == null ? null : Ledger.start(settings, ledgerMetrics, clock);
    OperatorLedger self = new OperatorLedger(ledger, clock, metrics, rollupInterval);
    self.scheduler.scheduleWithFixedDelay(
        self::tick, SWEEP_EVERY.toMillis(), SWEEP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return self;
  }

  /** The ledger, or null when it is off. */
  public Ledger ledger() {
    return ledger;
  }

  /** Called by the leader's reconciler once its informers are synced; the sweep may read them. */
  public void watching(Supplier<Collection<Pod>> pods, Supplier<Map<String, GpuTier>> tiers) {
    if (this.pods == null) {
      this.tiers = tiers;
      this.pods = pods;
    }
  }

  /** Journal entries to the writer; never waits. */
  public void journal(List<JournalEntry> entries) {
    if (ledger != null) {
      entries.forEach(ledger.writer()::offer);
    }
  }

  /** Every engine pod there is now: opens and closes GPU intervals, counts their cost. */
  public synchronized void observePods(
      Collection<Pod> enginePods, Map<String, GpuTier> gpuTiers, Instant now) {
    apply(intervals.observe(enginePods, gpuTiers, now));
  }

  /** The figures for the endpoint's status, or null when the ledger has none (yet). */
  public EndpointUsage latestUsage(String namespace, String name) {
    Map<List<String>, EndpointTotals> t = totals;
    if (t == null) {
      return null;
    }
    EndpointTotals e = t.get(List.of(namespace, name));
    if (e == null) {
      e =
          new EndpointTotals(
              namespace, name, 0, 0, 0, java.math.BigDecimal.ZERO, java.math.BigDecimal.ZERO, "");
    }
    return UsageFigures.of(e);
  }

  /** Intervals open now, by pod uid. */
  public Map<String, GpuInterval> openIntervals() {
    return intervals.open();
  }

  // Writes in the order the tracker decided them: opens and closes of one pod never cross.
  private void apply(GpuIntervals.Step step) {
    for (GpuIntervals.Cost c : step.costs()) {
      metrics.endpointCost(c.namespace(), c.endpoint(), c.tier(), c.amount());
    }
    if (ledger != null) {
      step.rows().forEach(ledger.writer()::offer);
    }
  }

  private void tick() {
    try {
      Supplier<Collection<Pod>> p = pods;
      if (p == null) {
        return; // not leading, or informers not synced yet
      }
      Instant now = clock.instant();
      observePods(p.get(), tiers.get(), now);
      if (ledger == null || !ledger.status().up()) {
        return;
      }
      if (!adopted) {
        adopt(p);
      }
      if (lastRollup == null || !now.isBefore(lastRollup.plus(rollupInterval))) {
        rollUp();
        lastRollup = now;
      }
    } catch (RuntimeException e) {
      LOG.warn("ledger: sweep failed: {}", e.toString());
    }
  }

  /**
   * Closes the intervals of pods that went away while no leader watched. Waits for an empty spool,
   * so that what the database shows open is not closed by rows still on their way.
   */
  private void adopt(Supplier<Collection<Pod>> p) {
    if (ledger.writer().spooled() > 0) {
      return;
    }
    try {
      List<GpuInterval> open;
      try (java.sql.Connection c = ledger.dataSource().getConnection()) {
        open = GpuIntervalReads.open(c);
      }
      synchronized (this) {
        GpuIntervals.Step step = intervals.adopt(open, p.get(), clock.instant());
        apply(step);
        if (!step.rows().isEmpty()) {
          LOG.info(
              "ledger: closed {} GPU interval(s) of pods that went away while no leader watched",
              step.rows().size());
        }
      }
      adopted = true;
    } catch (java.sql.SQLException e) {
      problem("reading open GPU intervals", e);
    }
  }

  /** The daily records of today and yesterday (idempotent), then the figures status shows. */
  public void rollUp() {
    if (ledger == null) {
      return;
    }
    try {
      new DailyRollup(ledger.dataSource(), clock, catchUpDays()).run();
      totals =
          new Reports(ledger.dataSource())
              .endpointTotals(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
      lastProblem = "";
    } catch (java.sql.SQLException | RuntimeException e) {
      problem("rollup", e);
    }
  }

  private int catchUpDays() {
    return Math.max(2, ledger.settings().usageRetentionDays());
  }

  private void problem(String what, Exception e) {
    String message = what + ": " + SqlFailures.message(e);
    if (!message.equals(lastProblem)) {
      LOG.warn("ledger: {}", message);
      lastProblem = message;
    }
  }

  /** Stops the sweep, then the ledger: its writer writes or spools every row it took. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ledger != null) {
      ledger.close();
    }
  }
}
