package io.dormouse.cli.report;

import io.dormouse.ledger.report.Dimension;
import io.dormouse.ledger.report.ReportQuery;
import io.dormouse.ledger.report.Reports;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;

/** What usage and cost share: read the options, query the daily records, print. */
abstract class ReportCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ReportOptions options;

  @ArgGroup(exclusive = false, heading = "Database:%n")
  DatabaseOptions database = new DatabaseOptions();

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (database.url == null || database.url.isBlank()) {
      err.println(
          "no ledger to read: pass --db jdbc:postgresql://HOST:PORT/DATABASE or set DORMOUSE_LEDGER_JDBC_URL");
      return 2;
    }
    try {
      ReportQuery query = options.query();
      Format format = options.format();
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setUrl(database.url);
      ds.setUser(database.user);
      ds.setPassword(database.password());
      ds.setConnectTimeout(5);
      Table table = report(new Reports(ds), query);
      table.print(format, spec.commandLine().getOut());
      return 0;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    } catch (SQLException e) {
      err.println("could not read the ledger at " + database.url + ": " + e.getMessage());
      return 1;
    }
  }

  abstract Table report(Reports reports, ReportQuery query) throws SQLException;

  static List<String> header(ReportQuery q, String... values) {
    List<String> h = new ArrayList<>();
    for (Dimension d : q.groupBy()) {
      h.add(d.label());
    }
    h.addAll(List.of(values));
    return h;
  }

  static List<Boolean> numeric(ReportQuery q, int values) {
    List<Boolean> n = new ArrayList<>();
    for (int i = 0; i < q.groupBy().size(); i++) {
      n.add(false);
    }
    for (int i = 0; i < values; i++) {
      n.add(true);
    }
    return n;
  }
}
