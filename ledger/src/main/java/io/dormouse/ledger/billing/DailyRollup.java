package io.dormouse.ledger.billing;

import io.dormouse.ledger.rollup.GpuDayCost;
import io.dormouse.ledger.rollup.GpuTime;
import io.dormouse.ledger.rollup.RollupPlan;
import io.dormouse.ledger.rows.GpuInterval;
import io.dormouse.ledger.store.GpuIntervalReads;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;

/**
 * The daily billing records: per (day, project, namespace, endpoint, model, tier) requests and
 * tokens summed from the usage rows; per (day, namespace, endpoint, tier) GPU-hours and cost from
 * the GPU intervals. Each day is replaced whole in one transaction, so running it twice gives the
 * same rows; which days, {@link RollupPlan} decides.
 */
public final class DailyRollup {

  /** The advisory lock that keeps two rollups from interleaving ("dmroll"). */
  private static final long LOCK_KEY = 0x646d726f6c6cL;

  private static final String USAGE_OF_DAY =
      "INSERT INTO daily_usage (day, project, namespace, endpoint, model, tier, requests,"
          + " input_tokens, output_tokens)"
          + " SELECT ?, u.project, r.namespace, r.endpoint, r.model, coalesce(u.tier, ''),"
          + " count(*), sum(u.prompt_tokens), sum(u.completion_tokens)"
          + " FROM usage u JOIN route r ON r.id = u.route_id"
          + " WHERE u.at >= ? AND u.at < ?"
          + " GROUP BY u.project, r.namespace, r.endpoint, r.model, coalesce(u.tier, '')";

  private final DataSource dataSource;
  private final Clock clock;
  private final int maxCatchUpDays;

  public DailyRollup(DataSource dataSource, Clock clock, int maxCatchUpDays) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.maxCatchUpDays = maxCatchUpDays;
  }

  /** Recomputes the days the plan names; returns the plan it followed. */
  public RollupPlan run() throws SQLException {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
        }
        RollupPlan plan =
            RollupPlan.decide(today, finalThrough(c), earliestData(c), maxCatchUpDays);
        for (LocalDate day : plan.days()) {
          rollUp(c, day, now);
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO rollup_state (singleton, final_through) VALUES (true, ?)"
                    + " ON CONFLICT (singleton) DO UPDATE SET final_through = EXCLUDED.final_through")) {
          ps.setDate(1, Date.valueOf(plan.finalThrough()));
          ps.executeUpdate();
        }
        c.commit();
        return plan;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private void rollUp(Connection c, LocalDate day, Instant now) throws SQLException {
    Timestamp from = Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    Timestamp to = Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    try (PreparedStatement del = c.prepareStatement("DELETE FROM daily_usage WHERE day = ?")) {
      del.setDate(1, Date.valueOf(day));
      del.executeUpdate();
    }
    try (PreparedStatement ins = c.prepareStatement(USAGE_OF_DAY)) {
      ins.setDate(1, Date.valueOf(day));
      ins.setTimestamp(2, from);
      ins.setTimestamp(3, to);
      ins.executeUpdate();
    }
    List<GpuInterval> intervals = GpuIntervalReads.overlapping(c, from.toInstant(), to.toInstant());
    try (PreparedStatement del = c.prepareStatement("DELETE FROM daily_gpu_cost WHERE day = ?")) {
      del.setDate(1, Date.valueOf(day));
      del.executeUpdate();
    }
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO daily_gpu_cost (day, namespace, endpoint, tier, currency, gpu_hours,"
                + " cost) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (GpuDayCost cost : GpuTime.ofDay(intervals, day, now)) {
        ins.setDate(1, Date.valueOf(day));
        ins.setString(2, cost.namespace());
        ins.setString(3, cost.endpoint());
        ins.setString(4, cost.tier());
        ins.setString(5, cost.currency());
        ins.setBigDecimal(6, cost.gpuHours());
        ins.setBigDecimal(7, cost.cost());
        ins.addBatch();
      }
      ins.executeBatch();
    }
  }

  private static LocalDate finalThrough(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT final_through FROM rollup_state")) {
      return rs.next() ? rs.getDate(1).toLocalDate() : null;
    }
  }

  /** The first day anything was recorded, so a new rollup covers it (within the catch-up). */
  private static LocalDate earliestData(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT least((SELECT min(at) FROM usage), (SELECT min(started_at) FROM"
                    + " gpu_interval))")) {
      if (rs.next() && rs.getTimestamp(1) != null) {
        return LocalDate.ofInstant(rs.getTimestamp(1).toInstant(), ZoneOffset.UTC);
      }
      return null;
    }
  }
}
