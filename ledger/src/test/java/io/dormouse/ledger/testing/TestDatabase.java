package io.dormouse.ledger.testing;

import io.dormouse.ledger.LedgerSettings;
import io.dormouse.ledger.embedded.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A fresh database on the JVM's one embedded PostgreSQL. */
public final class TestDatabase {

  private final EmbeddedPostgresServer server;
  private final String jdbcUrl;

  private TestDatabase(EmbeddedPostgresServer server, String jdbcUrl) {
    this.server = server;
    this.jdbcUrl = jdbcUrl;
  }

  public static TestDatabase fresh(Class<?> owner) {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.shared();
    return new TestDatabase(server, server.freshDatabase(owner.getSimpleName()));
  }

  public static TestDatabase on(EmbeddedPostgresServer server, String name) {
    return new TestDatabase(server, server.createDatabase(name));
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public LedgerSettings settings(Path spool) {
    return LedgerSettings.of(jdbcUrl, EmbeddedPostgresServer.USER, "", spool);
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, EmbeddedPostgresServer.USER, "");
  }

  public long count(String sql) {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1;
    }
  }

  public void execute(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
