package io.dormouse.ledger.rollup;

import io.dormouse.ledger.rows.GpuInterval;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GPU time per day: each interval clipped to the UTC day (an open one runs to {@code now}), GPUs ×
 * hours, at the price the interval started with. Cost = GPU-hours × price.
 */
public final class GpuTime {

  /** Figures are kept to the micro-unit: six decimals of GPU-hours and of money. */
  public static final int SCALE = 6;

  private static final BigDecimal MILLIS_PER_HOUR = BigDecimal.valueOf(3_600_000L);

  private GpuTime() {}

  /** The GPU-hours and cost of {@code day}, per (namespace, endpoint, tier, currency). */
  public static List<GpuDayCost> ofDay(
      Collection<GpuInterval> intervals, LocalDate day, Instant now) {
    Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Map<List<String>, BigDecimal[]> sums = new LinkedHashMap<>();
    for (GpuInterval i : intervals) {
      long millis = overlapMillis(i.startedAt(), i.endedAt(), dayStart, dayEnd, now);
      if (millis <= 0) {
        continue;
      }
      BigDecimal gpuHours =
          BigDecimal.valueOf(millis)
              .multiply(BigDecimal.valueOf(i.gpus()))
              .divide(MILLIS_PER_HOUR, MathContext.DECIMAL128);
      BigDecimal cost = gpuHours.multiply(i.pricePerGpuHour(), MathContext.DECIMAL128);
      BigDecimal[] sum =
          sums.computeIfAbsent(
              List.of(i.namespace(), i.endpoint(), i.tier(), i.currency()),
              k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
      sum[0] = sum[0].add(gpuHours);
      sum[1] = sum[1].add(cost);
    }
    List<GpuDayCost> out = new ArrayList<>();
    sums.forEach(
        (k, v) ->
            out.add(
                new GpuDayCost(
                    k.get(0),
                    k.get(1),
                    k.get(2),
                    k.get(3),
                    v[0].setScale(SCALE, RoundingMode.HALF_EVEN),
                    v[1].setScale(SCALE, RoundingMode.HALF_EVEN))));
    return out;
  }

  /** How much of [start, end or now) lies in [from, to), in milliseconds. */
  public static long overlapMillis(
      Instant start, Instant end, Instant from, Instant to, Instant now) {
    Instant effectiveEnd = end != null ? end : now;
    Instant a = start.isAfter(from) ? start : from;
    Instant b = effectiveEnd.isBefore(to) ? effectiveEnd : to;
    return b.isAfter(a) ? Duration.between(a, b).toMillis() : 0;
  }
}
