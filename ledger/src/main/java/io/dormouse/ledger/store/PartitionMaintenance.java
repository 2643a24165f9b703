package io.dormouse.ledger.store;

import io.dormouse.ledger.retention.PartitionPlan;
import io.dormouse.ledger.retention.UsagePartitions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the usage table's daily partitions ahead and drops aged-out ones whole. */
public final class PartitionMaintenance {

  public static final int DAYS_AHEAD = 7;

  /** The advisory lock held while partitions change ("dmparts"). */
  private static final long LOCK_KEY = 0x646d7061727473L;

  private static final Logger LOG = LoggerFactory.getLogger(PartitionMaintenance.class);

  private PartitionMaintenance() {}

  /** Applies {@link PartitionPlan} for {@code today}; returns what it did. */
  public static PartitionPlan apply(Connection c, LocalDate today, int retentionDays)
      throws SQLException {
    return locked(
        c,
        () -> {
          PartitionPlan plan = PartitionPlan.decide(existing(c), today, retentionDays, DAYS_AHEAD);
          createUnlocked(c, plan.create());
          for (LocalDate day : plan.drop()) {
            try (Statement s = c.createStatement()) {
              s.execute("DROP TABLE IF EXISTS " + UsagePartitions.nameOf(day));
            }
            LOG.info(
                "ledger: dropped usage partition of {} (retention {} days)", day, retentionDays);
          }
          return plan;
        });
  }

  /** Creates partitions for these days if missing (rows of a day nobody made one for yet). */
  public static void create(Connection c, Collection<LocalDate> days) throws SQLException {
    locked(
        c,
        () -> {
          createUnlocked(c, days);
          return null;
        });
  }

  /** One process at a time changes partitions (several gateways and operators share them). */
  private static <T> T locked(Connection c, SqlWork<T> work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      }
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  private static void createUnlocked(Connection c, Collection<LocalDate> days) throws SQLException {
    for (LocalDate day : days) {
      String sql =
          "CREATE TABLE IF NOT EXISTS "
              + UsagePartitions.nameOf(day)
              + " PARTITION OF usage FOR VALUES FROM ('"
              + day.atStartOfDay(ZoneOffset.UTC).toInstant()
              + "') TO ('"
              + day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
              + "')";
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }
  }

  /** The days that have a usage partition. */
  public static Set<LocalDate> existing(Connection c) throws SQLException {
    Set<LocalDate> days = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT child.relname FROM pg_inherits"
                    + " JOIN pg_class parent ON parent.oid = pg_inherits.inhparent"
                    + " JOIN pg_class child ON child.oid = pg_inherits.inhrelid"
                    + " WHERE parent.relname = 'usage'")) {
      while (rs.next()) {
        UsagePartitions.dayOf(rs.getString(1)).ifPresent(days::add);
      }
    }
    return days;
  }
}
