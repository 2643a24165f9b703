package io.dormouse.ledger.fault;

/** What a database error means for the rows that met it. */
public enum Failure {
  /** The row itself is impossible (a CHECK, a reference, a bad value): refuse it, keep the rest. */
  REFUSED(false),
  /** The database cannot be reached, or is shutting down or restarting. */
  UNREACHABLE(true),
  /** The database refuses our credentials or has no such database. */
  CREDENTIALS(true),
  /** The database's schema is not the one this build writes. */
  SCHEMA(true),
  /** The database is out of disk, memory or connections. */
  RESOURCES(true),
  /** The write took longer than its deadline. */
  TIMEOUT(true),
  /** Anything else: treated as the database being down, so nothing is lost. */
  OTHER(true);

  private final boolean databaseDown;

  Failure(boolean databaseDown) {
    this.databaseDown = databaseDown;
  }

  /** True when the rows are fine and must wait for the database (spooled), not be refused. */
  public boolean databaseDown() {
    return databaseDown;
  }
}
