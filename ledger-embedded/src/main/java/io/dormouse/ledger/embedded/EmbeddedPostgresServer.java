package io.dormouse.ledger.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL 17 server from Maven (zonky's binaries), for the sim, the bench and tests.
 *
 * <p>{@link #shared()} starts one server per JVM, the first time anyone asks, and stops it at exit;
 * a test class takes a database of its own from it with {@link #freshDatabase(String)}. {@link
 * #start(Path, int)} starts a private one that can be stopped and started again over the same data
 * directory and port (an outage, as a client sees it).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  public static final String USER = "postgres";

  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static EmbeddedPostgresServer shared;

  private final Path dataDirectory;
  private final boolean ownsDataDirectory;
  private int port;
  private EmbeddedPostgres server;

  private EmbeddedPostgresServer(Path dataDirectory, boolean ownsDataDirectory, int port) {
    this.dataDirectory = dataDirectory;
    this.ownsDataDirectory = ownsDataDirectory;
    this.port = port;
  }

  /** The one server of this JVM, started on first use and stopped at exit. */
  public static synchronized EmbeddedPostgresServer shared() {
    if (shared == null) {
      try {
        Path dir = Files.createTempDirectory("dormouse-pg-");
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(dir, true, 0);
        server.startServer();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-pg-stop"));
        shared = server;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /** A server of its own over {@code dataDirectory}; port 0 picks a free one (kept on restart). */
  public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDirectory, false, port);
    server.startServer();
    return server;
  }

  /** Starts the server again over the same data directory and port, after {@link #stop()}. */
  public synchronized void startServer() {
    if (server != null) {
      return;
    }
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              // Durability is what the ledger is about, but not of throw-away test data.
              .setServerConfig("fsync", ownsDataDirectory ? "off" : "on")
              .setServerConfig("max_connections", "200");
      if (port != 0) {
        builder.setPort(port);
      }
      server = builder.start();
      port = server.getPort();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
  }

  /** Stops the server, keeping its data: clients see a database that went away. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      server = null;
    }
  }

  public synchronized boolean running() {
    return server != null;
  }

  public int port() {
    return port;
  }

  public String host() {
    return "localhost";
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port + "/" + database;
  }

  /** A {@code psql} connection URL for people. */
  public String psqlUrl(String database) {
    return "postgresql://" + USER + "@localhost:" + port + "/" + database;
  }

  /** Creates database {@code name} unless it exists; returns its JDBC URL. */
  public String createDatabase(String name) {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain database name: " + name);
    }
    try (Connection c = adminConnection();
        Statement s = c.createStatement()) {
      var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
      if (!rs.next()) {
        s.execute("CREATE DATABASE " + name);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    return jdbcUrl(name);
  }

  /** A new, empty database named after {@code prefix} (e.g. the test class); its JDBC URL. */
  public String freshDatabase(String prefix) {
    String base = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
      base = "db_" + base;
    }
    base = base.length() > 48 ? base.substring(0, 48) : base;
    return createDatabase(
        base + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet());
  }

  private synchronized Connection adminConnection() throws SQLException {
    if (server == null) {
      throw new SQLException("embedded PostgreSQL is stopped");
    }
    return server.getPostgresDatabase().getConnection();
  }

  @Override
  public void close() {
    stop();
    if (ownsDataDirectory) {
      deleteQuietly(dataDirectory);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory: the OS cleans what is left
    }
  }
}
