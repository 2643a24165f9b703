package io.dormouse.ledger.report;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * Usage and cost over a date range. Reads the daily records only, never the raw usage rows, so a
 * report costs the same at a million requests a day as at ten.
 */
public final class Reports {

  private final DataSource dataSource;

  public Reports(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public List<UsageLine> usage(ReportQuery q) throws SQLException {
    List<String> columns = new ArrayList<>();
    for (Dimension d : q.groupBy()) {
      columns.add(d.usageColumn());
    }
    String keys = String.join(", ", columns);
    Filter filter = filter(q);
    String sql =
        "SELECT "
            + keys
            + ", sum(requests), sum(input_tokens), sum(output_tokens) FROM daily_usage"
            + filter.where
            + " GROUP BY "
            + keys
            + " ORDER BY "
            + keys;
    List<UsageLine> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      filter.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        int n = columns.size();
        while (rs.next()) {
          out.add(
              new UsageLine(keys(rs, n), rs.getLong(n + 1), rs.getLong(n + 2), rs.getLong(n + 3)));
        }
      }
    }
    return out;
  }

  public List<CostLine> cost(ReportQuery q) throws SQLException {
    List<String> columns = new ArrayList<>();
    for (Dimension d : q.groupBy()) {
      if (d.costColumn() == null) {
        throw new IllegalArgumentException(
            "GPU cost is recorded per endpoint and tier, not per "
                + d.label()
                + ": group cost by namespace, endpoint, tier or day");
      }
      columns.add(d.costColumn());
    }
    if (q.project() != null) {
      throw new IllegalArgumentException(
          "GPU cost is recorded per endpoint and tier, not per project");
    }
    String keys = String.join(", ", columns);
    Filter filter = filter(q);
    String sql =
        "SELECT "
            + keys
            + ", currency, sum(gpu_hours), sum(cost) FROM daily_gpu_cost"
            + filter.where
            + " GROUP BY "
            + keys
            + ", currency ORDER BY "
            + keys
            + ", currency";
    List<CostLine> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      filter.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        int n = columns.size();
        while (rs.next()) {
          out.add(
              new CostLine(
                  keys(rs, n),
                  rs.getString(n + 1),
                  rs.getBigDecimal(n + 2),
                  rs.getBigDecimal(n + 3)));
        }
      }
    }
    return out;
  }

  /** Today's figures and the month's cost of every endpoint with any, for status. */
  public Map<List<String>, EndpointTotals> endpointTotals(LocalDate today) throws SQLException {
    Map<List<String>, long[]> usage = new HashMap<>();
    Map<List<String>, Object[]> cost = new HashMap<>();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT namespace, endpoint, sum(requests), sum(input_tokens), sum(output_tokens)"
                  + " FROM daily_usage WHERE day = ? GROUP BY namespace, endpoint")) {
        ps.setDate(1, Date.valueOf(today));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            usage.put(
                List.of(rs.getString(1), rs.getString(2)),
                new long[] {rs.getLong(3), rs.getLong(4), rs.getLong(5)});
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT namespace, endpoint, min(currency),"
                  + " coalesce(sum(cost) FILTER (WHERE day = ?), 0), sum(cost)"
                  + " FROM daily_gpu_cost WHERE day >= ? AND day <= ? GROUP BY namespace, endpoint")) {
        ps.setDate(1, Date.valueOf(today));
        ps.setDate(2, Date.valueOf(today.withDayOfMonth(1)));
        ps.setDate(3, Date.valueOf(today));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            cost.put(
                List.of(rs.getString(1), rs.getString(2)),
                new Object[] {rs.getString(3), rs.getBigDecimal(4), rs.getBigDecimal(5)});
          }
        }
      }
    }
    Map<List<String>, EndpointTotals> out = new HashMap<>();
    java.util.Set<List<String>> all = new java.util.HashSet<>(usage.keySet());
    all.addAll(cost.keySet());
    for (List<String> key : all) {
      long[] u = usage.getOrDefault(key, new long[3]);
      Object[] k = cost.getOrDefault(key, new Object[] {"", BigDecimal.ZERO, BigDecimal.ZERO});
      out.put(
          key,
          new EndpointTotals(
              key.get(0),
              key.get(1),
              u[0],
              u[1],
              u[2],
              (BigDecimal) k[1],
              (BigDecimal) k[2],
              (String) k[0]));
    }
    return out;
  }

  private static List<String> keys(ResultSet rs, int n) throws SQLException {
    List<String> keys = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      keys.add(rs.getString(i));
    }
    return keys;
  }

  private record Filter(String where, List<Object> values) {
    void bind(PreparedStatement ps) throws SQLException {
      for (int i = 0; i < values.size(); i++) {
        ps.setObject(i + 1, values.get(i));
      }
    }
  }

  private static Filter filter(ReportQuery q) {
    StringJoiner where = new StringJoiner(" AND ", " WHERE ", "");
    List<Object> values = new ArrayList<>();
    where.add("day >= ?");
    values.add(Date.valueOf(q.from()));
    where.add("day <= ?");
    values.add(Date.valueOf(q.to()));
    if (q.project() != null) {
      where.add("project = ?");
      values.add(q.project());
    }
    if (q.namespace() != null) {
      where.add("namespace = ?");
      values.add(q.namespace());
    }
    if (q.endpoint() != null) {
      where.add("endpoint = ?");
      values.add(q.endpoint());
    }
    return new Filter(where.toString(), values);
  }
}
