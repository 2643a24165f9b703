package io.dormouse.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenLoopScheduleTest {

  private static final long START = 1_000_000_000L;

  @ParameterizedTest(name = "{0}/s: request {1} is meant for start + {2} ns")
  @CsvSource({
    "1000,    0,          0",
    "1000,    1,    1000000",
    "1000,  999,  999000000",
    "3,       1,  333333333",
    "3,       2,  666666667",
    "0.5,     1, 2000000000",
  })
  void intendedSendTimesAreEvenlySpaced(double rate, long index, long offset) {
    assertThat(new OpenLoopSchedule(START, rate).intendedNanos(index)).isEqualTo(START + offset);
  }

  @ParameterizedTest(name = "{0}/s, {1} ns after start: {2} due")
  @CsvSource({
    "1000,         -1,    0",
    "1000,          0,    1",
    "1000,     999999,    1",
    "1000,    1000000,    2",
    "1000, 1000000000, 1001",
    "3,     333333332,    1",
    "3,     333333333,    2",
    "3,     666666666,    2",
    "3,     666666667,    3",
  })
  void dueCountFollowsTheClockNotTheResponses(double rate, long elapsed, long due) {
    assertThat(new OpenLoopSchedule(START, rate).dueBy(START + elapsed)).isEqualTo(due);
  }

  @ParameterizedTest
  @CsvSource({"1000", "3", "7.5", "250000"})
  void everyDueRequestIsAlreadyIntended(double rate) {
    OpenLoopSchedule schedule = new OpenLoopSchedule(START, rate);
    for (long t = 0; t < 5_000_000_000L; t += 12_345_677L) {
      long due = schedule.dueBy(START + t);
      assertThat(schedule.intendedNanos(due - 1)).isLessThanOrEqualTo(START + t);
      assertThat(schedule.intendedNanos(due)).isGreaterThan(START + t);
    }
  }

  @ParameterizedTest
  @CsvSource({"0", "-1", "NaN"})
  void refusesRatesThatSendNothing(double rate) {
    assertThatThrownBy(() -> new OpenLoopSchedule(START, rate))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
