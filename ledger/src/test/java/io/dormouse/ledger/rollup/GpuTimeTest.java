package io.dormouse.ledger.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.ledger.rows.GpuInterval;
import io.dormouse.ledger.testing.Rows;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GpuTimeTest {

  private static final LocalDate DAY = LocalDate.parse("2025-03-10");
  private static final Instant NOW = Instant.parse("2025-03-10T18:00:00Z");

  @ParameterizedTest(name = "[{0} .. {1}) × {2} GPUs at {3} → {4} GPU-h, {5}")
  @CsvSource(
      delimiter = '|',
      value = {
        // inside the day
        "2025-03-10T01:00:00Z | 2025-03-10T03:00:00Z | 1 | 2.50 | 2.000000  | 5.000000",
        // several GPUs
        "2025-03-10T01:00:00Z | 2025-03-10T01:30:00Z | 4 | 2.00 | 2.000000  | 4.000000",
        // started the day before: clipped at midnight
        "2025-03-09T22:00:00Z | 2025-03-10T02:00:00Z | 1 | 1.00 | 2.000000  | 2.000000",
        // still open: counts to now
        "2025-03-10T12:00:00Z |                      | 2 | 3.00 | 12.000000 | 36.000000",
        // open since before the day: midnight to now
        "2025-03-01T00:00:00Z |                      | 1 | 1.00 | 18.000000 | 18.000000",
        // ends after the day: clipped at the next midnight
        "2025-03-10T23:00:00Z | 2025-03-11T05:00:00Z | 1 | 1.00 | 1.000000  | 1.000000",
        // a second: rounded to six decimals
        "2025-03-10T01:00:00Z | 2025-03-10T01:00:01Z | 1 | 3.60 | 0.000278  | 0.001000",
        // free tier
        "2025-03-10T01:00:00Z | 2025-03-10T02:00:00Z | 8 | 0    | 8.000000  | 0.000000",
      })
  void clipsToTheDayAndPrices(
      String start, String end, int gpus, String price, String hours, String cost) {
    GpuInterval i =
        Rows.gpu(
            "u1",
            "llama",
            "spot",
            gpus,
            price,
            Instant.parse(start),
            end == null ? null : Instant.parse(end));
    List<GpuDayCost> out = GpuTime.ofDay(List.of(i), DAY, NOW);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).gpuHours()).isEqualByComparingTo(hours);
    assertThat(out.get(0).cost()).isEqualByComparingTo(cost);
  }

  @Test
  void intervalsOutsideTheDayOrInTheFutureCountNothing() {
    List<GpuInterval> none =
        List.of(
            Rows.gpu(
                "a",
                "llama",
                "spot",
                1,
                "1",
                Instant.parse("2025-03-09T01:00:00Z"),
                Instant.parse("2025-03-09T02:00:00Z")),
            Rows.gpu("b", "llama", "spot", 1, "1", Instant.parse("2025-03-10T19:00:00Z"), null));
    assertThat(GpuTime.ofDay(none, DAY, NOW)).isEmpty();
  }

  @Test
  void sumsPerEndpointAndTierEachAtItsOwnPrice() {
    List<GpuInterval> intervals =
        List.of(
            Rows.gpu(
                "a",
                "llama",
                "spot",
                1,
                "1.00",
                Instant.parse("2025-03-10T01:00:00Z"),
                Instant.parse("2025-03-10T02:00:00Z")),
            // the tier's price changed: the later pod carries the new price
            Rows.gpu(
                "b",
                "llama",
                "spot",
                1,
                "2.00",
                Instant.parse("2025-03-10T03:00:00Z"),
                Instant.parse("2025-03-10T04:00:00Z")),
            Rows.gpu(
                "c",
                "llama",
                "on-demand",
                1,
                "4.00",
                Instant.parse("2025-03-10T05:00:00Z"),
                Instant.parse("2025-03-10T05:30:00Z")));
    List<GpuDayCost> out = GpuTime.ofDay(intervals, DAY, NOW);
    assertThat(out)
        .extracting(
            GpuDayCost::tier, c -> c.gpuHours().toPlainString(), c -> c.cost().toPlainString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("spot", "2.000000", "3.000000"),
            org.assertj.core.groups.Tuple.tuple("on-demand", "0.500000", "2.000000"));
    assertThat(out.get(0).cost()).isEqualTo(new BigDecimal("3.000000"));
  }
}
