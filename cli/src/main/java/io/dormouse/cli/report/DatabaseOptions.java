package io.dormouse.cli.report;

import picocli.CommandLine.Option;

/** Where the ledger is: a JDBC URL and credentials, from options or the chart's variables. */
public final class DatabaseOptions {

  @Option(
      names = "--db",
      defaultValue = "${env:DORMOUSE_LEDGER_JDBC_URL}",
      description =
          "JDBC URL of the ledger, e.g. jdbc:postgresql://localhost:5432/dormouse"
              + " (default: $DORMOUSE_LEDGER_JDBC_URL).")
  String url;

  @Option(
      names = "--db-user",
      defaultValue = "${env:DORMOUSE_LEDGER_USER:-dormouse}",
      description = "Database user (default: $DORMOUSE_LEDGER_USER or dormouse).")
  String user;

  @Option(
      names = "--db-password-env",
      defaultValue = "DORMOUSE_LEDGER_PASSWORD",
      description = "Variable holding the password (default: ${DEFAULT-VALUE}).")
  String passwordVariable;

  String password() {
    String p = System.getenv(passwordVariable);
    return p == null ? "" : p;
  }
}
