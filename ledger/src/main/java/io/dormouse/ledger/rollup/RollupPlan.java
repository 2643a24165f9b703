package io.dormouse.ledger.rollup;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Which days the daily rollup recomputes, and through which day the records are final after it.
 *
 * <p>Today and yesterday are always recomputed (rows still arrive for them: late requests, replayed
 * spools). Days after the last final day are caught up, at most {@code maxCatchUp} days back, so an
 * operator that was down for a while fills the gap. Days up to the day before yesterday are final
 * once computed and are never touched again.
 *
 * @param days the days to recompute, oldest first
 * @param finalThrough the last final day after this run (the day before yesterday)
 */
public record RollupPlan(List<LocalDate> days, LocalDate finalThrough) {

  public static RollupPlan decide(
      LocalDate today, LocalDate finalThrough, LocalDate earliestData, int maxCatchUp) {
    LocalDate yesterday = today.minusDays(1);
    LocalDate from = yesterday;
    if (finalThrough != null) {
      from = earlier(yesterday, finalThrough.plusDays(1));
    } else if (earliestData != null) {
      from = earlier(yesterday, earliestData);
    }
    LocalDate floor = today.minusDays(maxCatchUp);
    if (from.isBefore(floor)) {
      from = floor;
    }
    List<LocalDate> days = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(today); d = d.plusDays(1)) {
      days.add(d);
    }
    LocalDate newFinal = today.minusDays(2);
    if (finalThrough != null && finalThrough.isAfter(newFinal)) {
      newFinal = finalThrough;
    }
    return new RollupPlan(List.copyOf(days), newFinal);
  }

  private static LocalDate earlier(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }
}
