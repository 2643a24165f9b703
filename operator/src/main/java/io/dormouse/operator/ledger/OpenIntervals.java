package io.dormouse.operator.ledger;

import io.dormouse.ledger.rows.GpuInterval;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The GPU intervals the database holds open: what a starting leader must account for. */
final class OpenIntervals {

  private OpenIntervals() {}

  static List<GpuInterval> read(DataSource dataSource) throws SQLException {
    List<GpuInterval> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT pod_uid, namespace, endpoint, tier, pod, node, gpus, price_per_gpu_hour,"
                    + " currency, started_at FROM gpu_interval WHERE ended_at IS NULL")) {
      while (rs.next()) {
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
                null));
      }
    }
    return out;
  }
}
