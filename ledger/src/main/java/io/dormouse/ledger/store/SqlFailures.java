package io.dormouse.ledger.store;

import io.dormouse.ledger.fault.Failure;
import io.dormouse.ledger.fault.FailureClassifier;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;

/** Reads the SQLSTATE of an error (or of its causes) and classifies it. */
public final class SqlFailures {

  private SqlFailures() {}

  public static Failure classify(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLTimeoutException) {
        return Failure.TIMEOUT;
      }
      if (t instanceof SQLException e) {
        SQLException next = e.getNextException();
        SQLException source = e.getSQLState() == null && next != null ? next : e;
        return FailureClassifier.classify(source.getSQLState(), missingPartition(source));
      }
    }
    if (error instanceof org.flywaydb.core.api.exception.FlywayValidateException) {
      return Failure.SCHEMA;
    }
    if (error instanceof org.flywaydb.core.api.FlywayException) {
      return Failure.SCHEMA;
    }
    return Failure.OTHER;
  }

  static boolean missingPartition(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && m.contains("no partition of relation")) {
        return true;
      }
      if (t instanceof SQLException e && e.getNextException() != null) {
        String n = e.getNextException().getMessage();
        if (n != null && n.contains("no partition of relation")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The driver's or server's message, without the noise of batch wrappers. */
  public static String message(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException e) {
        SQLException next = e.getNextException();
        return (next != null ? next : e).getMessage();
      }
    }
    return error.getMessage();
  }
}
