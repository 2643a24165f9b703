package io.dormouse.ledger;

/**
 * What the ledger reports as it works, for the gateway and the operator to bind to Micrometer.
 * Gauges (rows pending, database up) are read from {@link Ledger#health()}.
 */
public interface LedgerMetrics {

  LedgerMetrics NONE = new LedgerMetrics() {};

  /** Rows stored in the database (first writes and replays from the spool). */
  default void written(int rows) {}

  /** Rows appended to the spool because the database was down, slow or behind. */
  default void spooled(int rows) {}

  /** Rows the database refused as impossible (counted and logged, never retried). */
  default void refused(int rows) {}

  /** Rows {@code offer} could not take: the memory buffer was full. */
  default void dropped(int rows) {}

  /** The database went up or down. */
  default void databaseState(DatabaseStatus status) {}
}
