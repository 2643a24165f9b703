package io.dormouse.ledger.report;

import java.time.LocalDate;
import java.util.List;

/**
 * A date range (both days included, UTC) grouped by some dimensions, optionally narrowed to one
 * project, namespace or endpoint (null for all).
 */
public record ReportQuery(
    LocalDate from,
    LocalDate to,
    List<Dimension> groupBy,
    String project,
    String namespace,
    String endpoint) {

  public ReportQuery {
    if (from.isAfter(to)) {
      throw new IllegalArgumentException(
          "the range starts (" + from + ") after it ends (" + to + ")");
    }
    if (groupBy.isEmpty()) {
      throw new IllegalArgumentException(
          "group by at least one of project, namespace, endpoint, model, tier, day");
    }
    groupBy = List.copyOf(groupBy);
  }

  public static ReportQuery of(LocalDate from, LocalDate to, Dimension... groupBy) {
    return new ReportQuery(from, to, List.of(groupBy), null, null, null);
  }
}
