package io.dormouse.ledger.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RollupPlanTest {

  @ParameterizedTest(name = "today {0}, final {1}, earliest {2}, catch-up {3} → [{4}], final {5}")
  @CsvSource(
      delimiter = '|',
      value = {
        // first run on an empty ledger: yesterday and today
        "2025-03-10 |            |            | 30 | 03-09 03-10             | 2025-03-08",
        // steady state: final through the day before yesterday
        "2025-03-10 | 2025-03-08 | 2025-01-01 | 30 | 03-09 03-10             | 2025-03-08",
        // the operator was down two days: the gap is caught up and closed
        "2025-03-10 | 2025-03-05 | 2025-01-01 | 30 | 03-06 03-07 03-08 03-09 03-10 | 2025-03-08",
        // first run with older data: from the first day with data
        "2025-03-10 |            | 2025-03-07 | 30 | 03-07 03-08 03-09 03-10 | 2025-03-08",
        // catch-up is bounded
        "2025-03-10 |            | 2024-01-01 | 2  | 03-08 03-09 03-10       | 2025-03-08",
        // a final mark ahead of the clock (clock moved back) is never moved back
        "2025-03-10 | 2025-03-09 |            | 30 | 03-09 03-10             | 2025-03-09",
        // across a month boundary
        "2025-03-01 | 2025-02-27 |            | 30 | 02-28 03-01             | 2025-02-27",
      })
  void decides(
      String today, String finalThrough, String earliest, int catchUp, String days, String fin) {
    RollupPlan plan =
        RollupPlan.decide(LocalDate.parse(today), date(finalThrough), date(earliest), catchUp);
    assertThat(plan.days()).containsExactlyElementsOf(days(days));
    assertThat(plan.finalThrough()).isEqualTo(LocalDate.parse(fin));
  }

  private static LocalDate date(String s) {
    return s == null || s.isBlank() ? null : LocalDate.parse(s.trim());
  }

  private static List<LocalDate> days(String text) {
    return Arrays.stream(text.trim().split("\\s+")).map(p -> LocalDate.parse("2025-" + p)).toList();
  }
}
