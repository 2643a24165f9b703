package io.dormouse.cli.report;

import io.dormouse.ledger.report.ReportQuery;
import io.dormouse.ledger.report.Reports;
import io.dormouse.ledger.report.UsageLine;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code dormouse usage}: requests and tokens from the daily billing records. */
@Command(
    name = "usage",
    mixinStandardHelpOptions = true,
    description = "Requests and tokens by project, namespace, endpoint, model, tier or day.")
public final class UsageCommand extends ReportCommand {

  @Override
  Table report(Reports reports, ReportQuery query) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    for (UsageLine line : reports.usage(query)) {
      List<String> r = new ArrayList<>(line.keys());
      r.add(String.valueOf(line.requests()));
      r.add(String.valueOf(line.inputTokens()));
      r.add(String.valueOf(line.outputTokens()));
      rows.add(r);
    }
    return new Table(
        header(query, "requests", "input_tokens", "output_tokens"), numeric(query, 3), rows);
  }
}
