package io.dormouse.ledger.retention;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Pattern;

/** The name of the usage table's partition of a UTC day: {@code usage_p20250131}. */
public final class UsagePartitions {

  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
  private static final Pattern NAME = Pattern.compile("usage_p(\\d{8})");

  private UsagePartitions() {}

  public static String nameOf(LocalDate day) {
    return "usage_p" + DAY.format(day);
  }

  /** The day a partition holds, or empty for a table that is not one of ours. */
  public static Optional<LocalDate> dayOf(String tableName) {
    var m = NAME.matcher(tableName);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(m.group(1), DAY));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
