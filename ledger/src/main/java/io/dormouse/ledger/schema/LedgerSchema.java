package io.dormouse.ledger.schema;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The ledger's schema: Flyway migrations in {@code io/dormouse/ledger/schema/migrations}.
 *
 * <p>Every process that starts migrates; Flyway holds a PostgreSQL advisory lock while it does, so
 * several gateways and operators starting at once apply each migration exactly once.
 */
public final class LedgerSchema {

  public static final String LOCATION = "classpath:io/dormouse/ledger/schema/migrations";

  private LedgerSchema() {}

  /** Brings the schema up to this build's version; returns the version it is at. */
  public static String migrate(DataSource dataSource) {
    Flyway flyway =
        Flyway.configure(LedgerSchema.class.getClassLoader())
            .dataSource(dataSource)
            .locations(LOCATION)
            .table("ledger_schema_history")
            // A schema newer than this build (a later Dormouse migrated it) refuses to be used,
            // rather than being written with columns it no longer has.
            .ignoreMigrationPatterns(new String[0])
            .load();
    MigrateResult result = flyway.migrate();
    return result.targetSchemaVersion != null
        ? result.targetSchemaVersion
        : flyway.info().current().getVersion().getVersion();
  }
}
