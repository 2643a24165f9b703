package io.dormouse.ledger.store;

import io.dormouse.ledger.rows.UsageRow;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Usage rows go in with {@code COPY} (several times the speed of batched inserts) into a
 * session-local staging table, then one {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING} moves
 * them, so a row written twice is still stored once and the table's checks still apply.
 */
final class UsageCopy {

  private static final String COLUMNS =
      "at, request_id, route_id, tier, backend, project, key_id, prompt_tokens,"
          + " completion_tokens, usage_estimated, status, latency_ms, ttfb_ms, wake_wait_ms,"
          + " streamed";

  private UsageCopy() {}

  static void write(
      Connection c, List<UsageRow> rows, RouteCache.Pending routes, int timeoutSeconds)
      throws SQLException {
    StringBuilder text = new StringBuilder(rows.size() * 160);
    for (UsageRow u : rows) {
      int route = routes.idOf(c, u);
      text.append(u.at()).append('\t');
      field(text, u.requestId()).append('\t');
      text.append(route).append('\t');
      field(text, u.tier()).append('\t');
      field(text, u.backend()).append('\t');
      field(text, u.project()).append('\t');
      field(text, u.keyId()).append('\t');
      text.append(u.promptTokens()).append('\t');
      text.append(u.completionTokens()).append('\t');
      text.append(u.usageEstimated() ? 't' : 'f').append('\t');
      text.append(u.status()).append('\t');
      text.append(u.latencyMillis()).append('\t');
      text.append(u.ttfbMillis() == null ? "\\N" : u.ttfbMillis().toString()).append('\t');
      text.append(u.wakeWaitMillis()).append('\t');
      text.append(u.streamed() ? 't' : 'f').append('\n');
    }
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(timeoutSeconds);
      s.execute("CREATE TEMP TABLE IF NOT EXISTS usage_staging (LIKE usage) ON COMMIT DELETE ROWS");
      try {
        c.unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(
                "COPY usage_staging (" + COLUMNS + ") FROM STDIN",
                new StringReader(text.toString()));
      } catch (IOException e) {
        throw new SQLException("COPY of usage rows failed", "08006", e);
      }
      s.executeUpdate(
          "INSERT INTO usage ("
              + COLUMNS
              + ") SELECT "
              + COLUMNS
              + " FROM usage_staging ON CONFLICT DO NOTHING");
    }
  }

  /** COPY's text format: backslash, tab and line ends escaped, null as \N. */
  private static StringBuilder field(StringBuilder out, String value) {
    if (value == null) {
      return out.append("\\N");
    }
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(ch);
      }
    }
    return out;
  }
}
