package io.dormouse.gateway.wake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {

  @ParameterizedTest(name = "after {0} failed, {1} ms left -> pause {2}")
  @CsvSource({
    "1, 300000, 100",
    "2, 300000, 400",
    "3, 300000, 1600",
    "4, 300000, -", // every attempt used
    "1, 100, -", // the pause would outlast the deadline
    "3, 1000, -",
    "1, 0, -"
  })
  void backsOffWithinTheAttemptsAndTheDeadline(int failed, long leftMillis, String pause) {
    var next = RetryPolicy.backoff(failed, Duration.ofMillis(leftMillis));
    if (pause.equals("-")) {
      assertThat(next).isEmpty();
    } else {
      assertThat(next).hasValue(Duration.ofMillis(Long.parseLong(pause)));
    }
  }
}
