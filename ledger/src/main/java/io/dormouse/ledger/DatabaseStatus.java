package io.dormouse.ledger;

import io.dormouse.ledger.fault.Failure;
import java.time.Instant;

/**
 * Whether the ledger can write, and if not why.
 *
 * @param failure null when up
 * @param message what went wrong, as the database or driver said it
 */
public record DatabaseStatus(boolean up, Failure failure, String message, Instant since) {

  public static DatabaseStatus up(Instant since) {
    return new DatabaseStatus(true, null, "", since);
  }

  public static DatabaseStatus down(Failure failure, String message, Instant since) {
    return new DatabaseStatus(false, failure, message == null ? "" : message, since);
  }
}
