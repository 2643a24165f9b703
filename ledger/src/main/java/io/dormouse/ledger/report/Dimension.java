package io.dormouse.ledger.report;

import java.util.Locale;

/** What a report groups by, and the column of the daily records that holds it. */
public enum Dimension {
  PROJECT("project", null),
  NAMESPACE("namespace", "namespace"),
  ENDPOINT("namespace || '/' || endpoint", "namespace || '/' || endpoint"),
  MODEL("model", null),
  TIER("tier", "tier"),
  DAY("to_char(day, 'YYYY-MM-DD')", "to_char(day, 'YYYY-MM-DD')");

  private final String usageColumn;
  private final String costColumn;

  Dimension(String usageColumn, String costColumn) {
    this.usageColumn = usageColumn;
    this.costColumn = costColumn;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  String usageColumn() {
    return usageColumn;
  }

  /** Null when GPU cost is not recorded per this dimension (it is per endpoint and tier). */
  String costColumn() {
    return costColumn;
  }

  public static Dimension parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown grouping '" + text + "': use project, namespace, endpoint, model, tier or day");
    }
  }
}
