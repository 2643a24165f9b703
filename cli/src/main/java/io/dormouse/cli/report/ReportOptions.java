package io.dormouse.cli.report;

import io.dormouse.ledger.report.Dimension;
import io.dormouse.ledger.report.ReportQuery;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The range, grouping, filters and format every report takes. */
public final class ReportOptions {

  @Option(
      names = "--from",
      description = "First day, UTC, yyyy-mm-dd (default: the first of this month).")
  LocalDate from;

  @Option(names = "--to", description = "Last day, included, UTC (default: today).")
  LocalDate to;

  @Option(
      names = "--by",
      split = ",",
      defaultValue = "day",
      description =
          "Group by one or more of project, namespace, endpoint, model, tier, day,"
              + " comma-separated (default: ${DEFAULT-VALUE}).")
  List<String> by;

  @Option(names = "--project", description = "Only this project.")
  String project;

  @Option(
      names = {"-n", "--namespace"},
      description = "Only this namespace.")
  String namespace;

  @Option(names = "--endpoint", description = "Only this endpoint.")
  String endpoint;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  String output;

  ReportQuery query() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<Dimension> dims = new ArrayList<>();
    for (String b : by) {
      dims.add(Dimension.parse(b));
    }
    return new ReportQuery(
        from != null ? from : today.withDayOfMonth(1),
        to != null ? to : today,
        dims,
        project,
        namespace,
        endpoint);
  }

  Format format() {
    try {
      return Format.valueOf(output.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--output must be table, csv or json, not " + output);
    }
  }
}
