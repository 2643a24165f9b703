package io.dormouse.ledger.writer;

import io.dormouse.ledger.store.DatabaseDown;

/** Whether the database is worth trying, and where the writer says it is not. */
public interface DatabaseGate {

  boolean up();

  /** A write failed because of the database; it is probed until it answers again. */
  void down(DatabaseDown cause);
}
