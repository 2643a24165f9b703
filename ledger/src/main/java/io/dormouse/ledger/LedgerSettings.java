package io.dormouse.ledger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach the ledger's database and how the writer behaves.
 *
 * @param jdbcUrl e.g. {@code jdbc:postgresql://host:5432/dormouse?sslmode=require}
 * @param spoolDirectory where rows wait while the database is down (a volume of the pod)
 * @param usageRetentionDays days of raw usage rows kept; older day partitions are dropped whole
 * @param flushInterval the longest a row waits in memory before it is written or spooled
 * @param bufferCapacity rows held in memory at most; beyond it {@code offer} refuses (counted)
 * @param batchSize rows per database round trip at most
 * @param writeTimeout a write slower than this is abandoned and its rows spooled
 */
public record LedgerSettings(
    String jdbcUrl,
    String user,
    String password,
    Path spoolDirectory,
    int usageRetentionDays,
    Duration flushInterval,
    int bufferCapacity,
    int batchSize,
    Duration writeTimeout) {

  public static final int DEFAULT_RETENTION_DAYS = 30;

  public LedgerSettings {
    if (usageRetentionDays < 1) {
      throw new IllegalArgumentException("usageRetentionDays must be at least 1");
    }
    if (bufferCapacity < 1 || batchSize < 1) {
      throw new IllegalArgumentException("bufferCapacity and batchSize must be positive");
    }
  }

  /** The defaults: 200 ms flushes, 64 Ki rows in memory, batches of 2000, 1 s write deadline. */
  public static LedgerSettings of(String jdbcUrl, String user, String password, Path spool) {
    return new LedgerSettings(
        jdbcUrl,
        user,
        password,
        spool,
        DEFAULT_RETENTION_DAYS,
        Duration.ofMillis(200),
        65_536,
        2_000,
        Duration.ofSeconds(1));
  }

  public LedgerSettings withRetentionDays(int days) {
    return new LedgerSettings(
        jdbcUrl,
        user,
        password,
        spoolDirectory,
        days,
        flushInterval,
        bufferCapacity,
        batchSize,
        writeTimeout);
  }

  public LedgerSettings withBuffer(int capacity, int batch) {
    return new LedgerSettings(
        jdbcUrl,
        user,
        password,
        spoolDirectory,
        usageRetentionDays,
        flushInterval,
        capacity,
        batch,
        writeTimeout);
  }

  /**
   * The settings the chart passes as environment variables, or empty when the ledger is off: {@code
   * DORMOUSE_LEDGER_ENABLED=true}, then either {@code DORMOUSE_LEDGER_JDBC_URL} or {@code
   * DORMOUSE_LEDGER_HOST}, {@code _PORT} (5432), {@code _DATABASE} (dormouse) and {@code _SSLMODE}
   * (prefer); {@code _USER}, {@code _PASSWORD} (or {@code _PASSWORD_FILE}, a file holding it, e.g.
   * a mounted Secret), {@code _SPOOL_DIR} (required) and {@code _USAGE_RETENTION_DAYS} (30).
   */
  public static Optional<LedgerSettings> fromEnvironment(Map<String, String> env) {
    if (!"true".equalsIgnoreCase(env.getOrDefault("DORMOUSE_LEDGER_ENABLED", "false"))) {
      return Optional.empty();
    }
    String url = env.get("DORMOUSE_LEDGER_JDBC_URL");
    if (url == null || url.isBlank()) {
      String host = env.get("DORMOUSE_LEDGER_HOST");
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException(
            "DORMOUSE_LEDGER_ENABLED=true needs DORMOUSE_LEDGER_JDBC_URL or DORMOUSE_LEDGER_HOST");
      }
      url =
          jdbcUrl(
              host,
              Integer.parseInt(env.getOrDefault("DORMOUSE_LEDGER_PORT", "5432")),
              env.getOrDefault("DORMOUSE_LEDGER_DATABASE", "dormouse"),
              env.getOrDefault("DORMOUSE_LEDGER_SSLMODE", "prefer"));
    }
    String spool = env.get("DORMOUSE_LEDGER_SPOOL_DIR");
    if (spool == null || spool.isBlank()) {
      throw new IllegalArgumentException(
          "DORMOUSE_LEDGER_ENABLED=true needs DORMOUSE_LEDGER_SPOOL_DIR");
    }
    int retention =
        Integer.parseInt(
            env.getOrDefault(
                "DORMOUSE_LEDGER_USAGE_RETENTION_DAYS", String.valueOf(DEFAULT_RETENTION_DAYS)));
    return Optional.of(
        of(url, env.getOrDefault("DORMOUSE_LEDGER_USER", "dormouse"), password(env), Path.of(spool))
            .withRetentionDays(retention));
  }

  private static String password(Map<String, String> env) {
    String file = env.get("DORMOUSE_LEDGER_PASSWORD_FILE");
    if (file == null || file.isBlank()) {
      return env.getOrDefault("DORMOUSE_LEDGER_PASSWORD", "");
    }
    try {
      return java.nio.file.Files.readString(Path.of(file)).strip();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          "DORMOUSE_LEDGER_PASSWORD_FILE: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static String jdbcUrl(String host, int port, String database, String sslmode) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslmode;
  }

  @Override
  public String toString() {
    // Never print the password.
    return "LedgerSettings[" + jdbcUrl + " as " + user + ", spool " + spoolDirectory + "]";
  }
}
