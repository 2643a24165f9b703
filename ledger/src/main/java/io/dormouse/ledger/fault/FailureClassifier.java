package io.dormouse.ledger.fault;

/** Sorts PostgreSQL's SQLSTATE codes into what the writer does about them. */
public final class FailureClassifier {

  private FailureClassifier() {}

  /**
   * The meaning of {@code sqlState} (null when the driver gave none, e.g. an I/O error).
   *
   * <p>Class 22 (data exception) and 23 (integrity constraint) are the row's fault; except 23514
   * "no partition of relation found" is the schema's fault when {@code missingPartition}.
   */
  public static Failure classify(String sqlState, boolean missingPartition) {
    if (sqlState == null || sqlState.length() < 2) {
      return Failure.UNREACHABLE;
    }
    if (missingPartition) {
      return Failure.SCHEMA;
    }
    String cls = sqlState.substring(0, 2);
    return switch (cls) {
      case "21", "22", "23" -> Failure.REFUSED; // 21: a key twice in one statement
      case "08" -> Failure.UNREACHABLE;
      case "28" -> Failure.CREDENTIALS;
      case "3D" -> Failure.CREDENTIALS; // no such database
      case "42" -> Failure.SCHEMA; // undefined table/column, insufficient privilege
      case "53" -> Failure.RESOURCES; // disk full, out of memory, too many connections
      case "57" -> sqlState.equals("57014") ? Failure.TIMEOUT : Failure.UNREACHABLE;
      default -> Failure.OTHER;
    };
  }
}
