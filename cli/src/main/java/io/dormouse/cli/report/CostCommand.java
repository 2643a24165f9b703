package io.dormouse.cli.report;

import io.dormouse.ledger.report.CostLine;
import io.dormouse.ledger.report.ReportQuery;
import io.dormouse.ledger.report.Reports;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code dormouse cost}: GPU-hours and their cost from the daily billing records. */
@Command(
    name = "cost",
    mixinStandardHelpOptions = true,
    description =
        "GPU-hours and cost by namespace, endpoint, tier or day (in each tier's currency).")
public final class CostCommand extends ReportCommand {

  @Override
  Table report(Reports reports, ReportQuery query) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    for (CostLine line : reports.cost(query)) {
      List<String> r = new ArrayList<>(line.keys());
      r.add(line.gpuHours().toPlainString());
      r.add(line.cost().toPlainString());
      r.add(line.currency());
      rows.add(r);
    }
    List<Boolean> numeric = numeric(query, 2);
    numeric.add(false);
    return new Table(header(query, "gpu_hours", "cost", "currency"), numeric, rows);
  }
}
