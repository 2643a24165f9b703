package io.dormouse.ledger.store;

import io.dormouse.ledger.fault.Failure;
import io.dormouse.ledger.retention.PartitionPlan;
import io.dormouse.ledger.rows.GpuInterval;
import io.dormouse.ledger.rows.JournalEntry;
import io.dormouse.ledger.rows.LedgerRow;
import io.dormouse.ledger.rows.NodeInterval;
import io.dormouse.ledger.rows.UsageRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches of rows in one transaction each, every write idempotent (an insert that meets its
 * earlier copy is skipped; an interval is upserted), so a batch may be written again.
 *
 * <p>A batch with an impossible row is written again row by row: the impossible ones are refused
 * and logged, the rest are stored.
 */
public final class RowStore {

  private static final Logger LOG = LoggerFactory.getLogger(RowStore.class);

  static final String INSERT_JOURNAL =
      "INSERT INTO journal (id, at, namespace, endpoint, kind, tier, replicas, reason, message)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";
  static final String UPSERT_GPU =
      "INSERT INTO gpu_interval (pod_uid, namespace, endpoint, tier, pod, node, gpus,"
          + " price_per_gpu_hour, currency, started_at, ended_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pod_uid) DO UPDATE"
          + " SET ended_at = COALESCE(gpu_interval.ended_at, EXCLUDED.ended_at)";
  static final String UPSERT_NODE =
      "INSERT INTO node_interval (node_uid, node, tier, gpus, price_per_gpu_hour, currency,"
          + " started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (node_uid) DO"
          + " UPDATE SET ended_at = COALESCE(node_interval.ended_at, EXCLUDED.ended_at)";

  private final DataSource dataSource;
  private final RouteCache routes = new RouteCache();
  private final Clock clock;
  private final int retentionDays;
  private final int timeoutSeconds;

  public RowStore(DataSource dataSource, Clock clock, int retentionDays, int timeoutSeconds) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.retentionDays = retentionDays;
    this.timeoutSeconds = Math.max(1, timeoutSeconds);
  }

  /** What became of a batch. */
  public record Result(int written, int refused) {}

  /**
   * Stores the batch, or throws {@link DatabaseDown} having stored nothing that a retry of the
   * whole batch would not skip.
   */
  public Result write(List<? extends LedgerRow> rows) throws DatabaseDown {
    if (rows.isEmpty()) {
      return new Result(0, 0);
    }
    try (Connection c = dataSource.getConnection()) {
      try {
        return writeBatch(c, rows);
      } catch (SQLException e) {
        rollbackQuietly(c);
        Failure failure = SqlFailures.classify(e);
        if (SqlFailures.missingPartition(e) && makePartitions(c, rows)) {
          try {
            return writeBatch(c, rows);
          } catch (SQLException again) {
            rollbackQuietly(c);
            e = again;
            failure = SqlFailures.classify(again);
          }
        }
        if (failure == Failure.REFUSED || SqlFailures.missingPartition(e)) {
          return writeOneByOne(c, rows);
        }
        throw new DatabaseDown(failure, e);
      } catch (RuntimeException e) {
        // a row the driver cannot even bind (a missing field): find it row by row
        rollbackQuietly(c);
        return writeOneByOne(c, rows);
      }
    } catch (SQLException e) {
      throw new DatabaseDown(SqlFailures.classify(e), e);
    }
  }

  private Result writeBatch(Connection c, List<? extends LedgerRow> rows) throws SQLException {
    c.setAutoCommit(false);
    RouteCache.Pending newRoutes = routes.pending();
    List<UsageRow> usage = new ArrayList<>();
    List<JournalEntry> journal = new ArrayList<>();
    List<GpuInterval> gpu = new ArrayList<>();
    List<NodeInterval> nodes = new ArrayList<>();
    for (LedgerRow row : rows) {
      if (row instanceof UsageRow u) {
        usage.add(u);
      } else if (row instanceof JournalEntry j) {
        journal.add(j);
      } else if (row instanceof GpuInterval g) {
        gpu.add(g);
      } else if (row instanceof NodeInterval n) {
        nodes.add(n);
      }
    }
    if (!usage.isEmpty()) {
      UsageCopy.write(c, usage, newRoutes, timeoutSeconds);
    }
    batch(c, INSERT_JOURNAL, journal, RowStore::bindJournal);
    // One statement may not upsert a key twice: an interval seen twice in a batch is merged
    // first, the first end seen winning as it does in the table.
    batch(c, UPSERT_GPU, Intervals.mergeGpu(gpu), RowStore::bindGpu);
    batch(c, UPSERT_NODE, Intervals.mergeNodes(nodes), RowStore::bindNode);
    c.commit();
    newRoutes.committed();
    return new Result(rows.size(), 0);
  }

  private Result writeOneByOne(Connection c, List<? extends LedgerRow> rows) throws DatabaseDown {
    int written = 0;
    int refused = 0;
    for (LedgerRow row : rows) {
      try {
        writeBatch(c, List.of(row));
        written++;
      } catch (SQLException e) {
        rollbackQuietly(c);
        Failure failure = SqlFailures.classify(e);
        if (failure == Failure.REFUSED || SqlFailures.missingPartition(e)) {
          refused++;
          LOG.warn("ledger: refused {}: {}", row, SqlFailures.message(e));
        } else {
          // Rows written so far are skipped when the batch is written again.
          throw new DatabaseDown(failure, e);
        }
      } catch (RuntimeException e) {
        rollbackQuietly(c);
        refused++;
        LOG.warn("ledger: refused {}: {}", row, e.toString());
      }
    }
    return new Result(written, refused);
  }

  /** Makes the partitions a batch's usage rows need, when they are within retention. */
  private boolean makePartitions(Connection c, List<? extends LedgerRow> rows) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    TreeSet<LocalDate> days = new TreeSet<>();
    for (LedgerRow row : rows) {
      if (row instanceof UsageRow u) {
        LocalDate day = LocalDate.ofInstant(u.at(), ZoneOffset.UTC);
        if (PartitionPlan.mayCreate(day, today, retentionDays, PartitionMaintenance.DAYS_AHEAD)) {
          days.add(day);
        }
      }
    }
    if (days.isEmpty()) {
      return false;
    }
    try {
      PartitionMaintenance.create(c, days);
      return true;
    } catch (SQLException e) {
      LOG.warn("ledger: could not create usage partitions {}: {}", days, e.getMessage());
      return false;
    }
  }

  private interface Binder<T> {
    void bind(PreparedStatement ps, T row) throws SQLException;
  }

  private <T> void batch(Connection c, String sql, List<T> rows, Binder<T> binder)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setQueryTimeout(timeoutSeconds);
      for (T row : rows) {
        binder.bind(ps, row);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void bindJournal(PreparedStatement ps, JournalEntry j) throws SQLException {
    ps.setObject(1, j.id());
    ps.setTimestamp(2, Timestamp.from(j.at()));
    ps.setString(3, j.namespace());
    ps.setString(4, j.endpoint());
    ps.setString(5, j.kind());
    ps.setString(6, j.tier());
    if (j.replicas() == null) {
      ps.setNull(7, Types.INTEGER);
    } else {
      ps.setInt(7, j.replicas());
    }
    ps.setString(8, j.reason());
    ps.setString(9, j.message());
  }

  private static void bindGpu(PreparedStatement ps, GpuInterval g) throws SQLException {
    ps.setString(1, g.podUid());
    ps.setString(2, g.namespace());
    ps.setString(3, g.endpoint());
    ps.setString(4, g.tier());
    ps.setString(5, g.pod());
    ps.setString(6, g.node());
    ps.setInt(7, g.gpus());
    ps.setBigDecimal(8, g.pricePerGpuHour());
    ps.setString(9, g.currency());
    ps.setTimestamp(10, Timestamp.from(g.startedAt()));
    ps.setTimestamp(11, g.endedAt() == null ? null : Timestamp.from(g.endedAt()));
  }

  private static void bindNode(PreparedStatement ps, NodeInterval n) throws SQLException {
    ps.setString(1, n.nodeUid());
    ps.setString(2, n.node());
    ps.setString(3, n.tier());
    ps.setInt(4, n.gpus());
    ps.setBigDecimal(5, n.pricePerGpuHour());
    ps.setString(6, n.currency());
    ps.setTimestamp(7, Timestamp.from(n.startedAt()));
    ps.setTimestamp(8, n.endedAt() == null ? null : Timestamp.from(n.endedAt()));
  }

  private static void rollbackQuietly(Connection c) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException ignored) {
      // the connection is broken; the pool drops it
    }
  }
}
