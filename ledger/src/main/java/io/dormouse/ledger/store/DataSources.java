package io.dormouse.ledger.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dormouse.ledger.LedgerSettings;

/** A small HikariCP pool that starts even when the database is not there. */
public final class DataSources {

  private DataSources() {}

  public static HikariDataSource pool(LedgerSettings settings, String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    // Never fail at start: an unreachable database is a state to report, not a crash.
    config.setInitializationFailTimeout(-1);
    config.setConnectionTimeout(1_000);
    config.setValidationTimeout(500);
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    config.addDataSourceProperty("connectTimeout", "2");
    config.addDataSourceProperty("socketTimeout", "30");
    config.addDataSourceProperty("ApplicationName", name);
    return new HikariDataSource(config);
  }
}
