package io.dormouse.ledger.retention;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which daily partitions of the usage table to create and which to drop.
 *
 * <p>A day is kept while it is one of the last {@code retentionDays} days (today included); older
 * partitions are dropped whole, never emptied row by row. Partitions are created for yesterday
 * (late rows) through {@code daysAhead} days after today, so rows always find one.
 *
 * @param create days whose partition is missing, oldest first
 * @param drop days whose partition has aged out, oldest first
 */
public record PartitionPlan(List<LocalDate> create, List<LocalDate> drop) {

  public static PartitionPlan decide(
      Set<LocalDate> existing, LocalDate today, int retentionDays, int daysAhead) {
    if (retentionDays < 1) {
      throw new IllegalArgumentException("retentionDays must be at least 1: " + retentionDays);
    }
    LocalDate oldestKept = oldestKept(today, retentionDays);
    List<LocalDate> drop = new ArrayList<>();
    for (LocalDate day : new TreeSet<>(existing)) {
      if (day.isBefore(oldestKept)) {
        drop.add(day);
      }
    }
    List<LocalDate> create = new ArrayList<>();
    LocalDate from = today.minusDays(1).isBefore(oldestKept) ? oldestKept : today.minusDays(1);
    for (LocalDate day = from; !day.isAfter(today.plusDays(daysAhead)); day = day.plusDays(1)) {
      if (!existing.contains(day)) {
        create.add(day);
      }
    }
    return new PartitionPlan(List.copyOf(create), List.copyOf(drop));
  }

  /** The oldest day whose rows are kept. */
  public static LocalDate oldestKept(LocalDate today, int retentionDays) {
    return today.minusDays(retentionDays - 1L);
  }

  /** Whether a late row of {@code day} may still get a partition made for it. */
  public static boolean mayCreate(LocalDate day, LocalDate today, int retentionDays, int ahead) {
    return !day.isBefore(oldestKept(today, retentionDays)) && !day.isAfter(today.plusDays(ahead));
  }
}
