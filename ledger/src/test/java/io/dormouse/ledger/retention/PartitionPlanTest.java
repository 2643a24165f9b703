package io.dormouse.ledger.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PartitionPlanTest {

  private static final LocalDate TODAY = LocalDate.parse("2025-03-10");

  @ParameterizedTest(name = "existing [{0}], retention {1}, ahead {2} → create [{3}], drop [{4}]")
  @CsvSource(
      delimiter = '|',
      value = {
        // nothing yet: yesterday through today + ahead
        "                                 | 30 | 2 | 03-09 03-10 03-11 03-12 |",
        // all there: nothing to do
        "03-09 03-10 03-11 03-12          | 30 | 2 |                         |",
        // the day that just aged out goes; the one before the edge stays
        "02-08 02-09 03-09 03-10 03-11 03-12 | 30 | 2 |                      | 02-08",
        // retention 1: only today is kept, so yesterday is neither made nor kept
        "03-09 03-10                      | 1  | 1 | 03-11                   | 03-09",
        // a gap is filled
        "03-09 03-11                      | 30 | 2 | 03-10 03-12             |",
        // an old day within retention is left alone (it holds late rows)
        "02-20                            | 30 | 0 | 03-09 03-10             |",
      })
  void decides(String existing, int retention, int ahead, String create, String drop) {
    PartitionPlan plan = PartitionPlan.decide(days(existing), TODAY, retention, ahead);
    assertThat(plan.create()).containsExactlyElementsOf(days(create).stream().sorted().toList());
    assertThat(plan.drop()).containsExactlyElementsOf(days(drop).stream().sorted().toList());
  }

  @Test
  void refusesRetentionBelowOneDay() {
    assertThatThrownBy(() -> PartitionPlan.decide(Set.of(), TODAY, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "2025-03-10,true",
    "2025-02-09,true",
    "2025-02-08,false",
    "2025-03-17,true",
    "2025-03-18,false"
  })
  void mayCreateOnlyWithinRetentionAndAhead(String day, boolean may) {
    assertThat(PartitionPlan.mayCreate(LocalDate.parse(day), TODAY, 30, 7)).isEqualTo(may);
  }

  @ParameterizedTest
  @CsvSource({
    "usage_p20250310,2025-03-10",
    "usage_p20251301,",
    "usage,",
    "usage_p2025031,",
    "other_p20250310,"
  })
  void partitionNamesRoundTrip(String name, String day) {
    assertThat(UsagePartitions.dayOf(name).map(LocalDate::toString).orElse(null)).isEqualTo(day);
    if (day != null) {
      assertThat(UsagePartitions.nameOf(LocalDate.parse(day))).isEqualTo(name);
    }
  }

  private static Set<LocalDate> days(String text) {
    if (text == null || text.isBlank()) {
      return Set.of();
    }
    List<String> parts = Arrays.asList(text.trim().split("\\s+"));
    return parts.stream().map(p -> LocalDate.parse("2025-" + p)).collect(Collectors.toSet());
  }
}
