package io.dormouse.ledger.store;

import io.dormouse.ledger.rows.GpuInterval;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored GPU intervals read back: those still open (what a starting leader must account for)
 * and those that overlap a span (what a day's rollup prices). One row mapping for both.
 */
public final class GpuIntervalReads {

  private static final String COLUMNS =
      "SELECT pod_uid, namespace, endpoint, tier, pod, node, gpus, price_per_gpu_hour, currency,"
          + " started_at, ended_at FROM gpu_interval";

  private GpuIntervalReads() {}

  /** The intervals with no end yet. */
  public static List<GpuInterval> open(Connection c) throws SQLException {
    try (PreparedStatement q = c.prepareStatement(COLUMNS + " WHERE ended_at IS NULL")) {
      return read(q);
    }
  }

  /** The intervals that held GPUs at some moment of [from, to): open ones included. */
  public static List<GpuInterval> overlapping(Connection c, Instant from, Instant to)
      throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            COLUMNS + " WHERE started_at < ? AND (ended_at IS NULL OR ended_at > ?)")) {
      q.setTimestamp(1, Timestamp.from(to));
      q.setTimestamp(2, Timestamp.from(from));
      return read(q);
    }
  }

  private static List<GpuInterval> read(PreparedStatement q) throws SQLException {
    List<GpuInterval> out = new ArrayList<>();
    try (ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        Timestamp ended = rs.getTimestamp(11);
        out.add(
            new GpuInterval(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getInt(7),
                rs.getBigDecimal(8),
                rs.getString(9),
                rs.getTimestamp(10).toInstant(),
                ended == null ? null : ended.toInstant()));
      }
    }
    return out;
  }
}
