package io.dormouse.ledger.store;

import io.dormouse.ledger.fault.Failure;

/** The database could not take a batch; its rows are fine and must wait. */
public final class DatabaseDown extends Exception {

  private final Failure failure;

  public DatabaseDown(Failure failure, Throwable cause) {
    super(failure + ": " + (cause == null ? "" : cause.getMessage()), cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
