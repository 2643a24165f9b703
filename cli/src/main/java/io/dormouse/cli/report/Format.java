package io.dormouse.cli.report;

/** How a report is printed. */
public enum Format {
  TABLE,
  CSV,
  JSON
}
