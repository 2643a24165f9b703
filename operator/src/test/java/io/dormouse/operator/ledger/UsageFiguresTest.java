package io.dormouse.operator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.EndpointUsage;
import io.dormouse.ledger.report.EndpointTotals;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageFiguresTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static EndpointUsage figures(long requests, String cost, String writtenAt) {
    EndpointUsage u =
        UsageFigures.of(
            new EndpointTotals(
                "team",
                "llama",
                requests,
                requests * 10,
                requests * 20,
                new BigDecimal(cost),
                new BigDecimal(cost).multiply(BigDecimal.TEN),
                "USD"));
    u.setUpdatedTime(writtenAt);
    return u;
  }

  /**
   * shown: what status shows (requests, written seconds after T0; "-" for none); latest: the
   * ledger's figures ("-" for none yet); now: seconds after T0; expect: shown, latest or none.
   */
  @ParameterizedTest(name = "shown {0}@{1}s, latest {2}, at {3}s → {4}")
  @CsvSource({
    // shown, written, latest, now, expect
    "-,       -,       -,      0,   none", // ledger off or not read yet: nothing shown
    "5,       0,       -,      90,  shown", // the ledger has nothing new: keep what is shown
    "-,       -,       5,      0,   latest", // first figures: written at once
    "5,       0,       5,      90,  shown", // same figures: no write, stamp kept
    "5,       0,       6,      30,  shown", // new figures within a minute of the last write
    "5,       0,       6,      59,  shown",
    "5,       0,       6,      60,  latest", // a minute on: written
    "5,       0,       6,      600, latest",
  })
  void newFiguresAreWrittenAtMostOnceAMinute(
      String shown, String written, String latest, long now, String expect) {
    EndpointUsage before =
        "-".equals(shown)
            ? null
            : figures(
                Long.parseLong(shown), "1.5", T0.plusSeconds(Long.parseLong(written)).toString());
    EndpointUsage ledger = "-".equals(latest) ? null : figures(Long.parseLong(latest), "1.5", null);

    EndpointUsage next = UsageFigures.next(before, ledger, T0.plusSeconds(now));

    switch (expect) {
      case "none" -> assertThat(next).isNull();
      case "shown" -> assertThat(next).isSameAs(before);
      default -> {
        assertThat(next.sameFigures(ledger)).isTrue();
        assertThat(next.getUpdatedTime()).isEqualTo(T0.plusSeconds(now).toString());
      }
    }
  }

  @Test
  void figuresAreTheLedgersTotalsWithMoneyAsDecimalStrings() {
    EndpointUsage u =
        UsageFigures.of(
            new EndpointTotals(
                "team",
                "llama",
                7,
                700,
                1400,
                new BigDecimal("1.250000"),
                new BigDecimal("31.000833"),
                "EUR"));

    assertThat(u.getRequestsToday()).isEqualTo(7);
    assertThat(u.getInputTokensToday()).isEqualTo(700);
    assertThat(u.getOutputTokensToday()).isEqualTo(1400);
    assertThat(u.getCostToday()).isEqualTo("1.25");
    assertThat(u.getCostMonthToDate()).isEqualTo("31.000833");
    assertThat(u.getCurrency()).isEqualTo("EUR");
    assertThat(u.getUpdatedTime()).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0.00",
    "0.000000, 0.00",
    "2, 2.00",
    "12.5, 12.50",
    "0.004167, 0.004167",
    "100, 100.00"
  })
  void money(String amount, String shown) {
    assertThat(UsageFigures.money(new BigDecimal(amount))).isEqualTo(shown);
  }

  @Test
  void noGpuTimeYetLeavesTheCurrencyUnset() {
    EndpointUsage u =
        UsageFigures.of(
            new EndpointTotals("team", "llama", 1, 1, 1, BigDecimal.ZERO, BigDecimal.ZERO, ""));
    assertThat(u.getCurrency()).isNull();
    assertThat(u.getCostToday()).isEqualTo("0.00");
  }
}
