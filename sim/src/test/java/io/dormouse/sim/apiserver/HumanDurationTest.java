package io.dormouse.sim.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {

  @ParameterizedTest(name = "{0} s → {1}")
  @CsvSource({
    "-5, <invalid>",
    "-1, 0s",
    "0, 0s",
    "45, 45s",
    "119, 119s",
    "120, 2m",
    "330, 5m30s",
    "600, 10m",
    "10799, 179m",
    "10800, 3h",
    "11400, 3h10m",
    "28800, 8h",
    "172799, 47h",
    "187200, 2d4h",
    "691200, 8d",
    "63072000, 2y",
    "63158400, 2y1d",
    "315360000, 10y"
  })
  void agesReadAsKubectlPrintsThem(long seconds, String shown) {
    assertThat(HumanDuration.of(Duration.ofSeconds(seconds))).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource({"2026-12-02T05:08:33Z, 5m", "not a time, <unknown>"})
  void aTimestampIsShownAsItsAge(String timestamp, String shown) {
    Instant now = Instant.parse("2026-12-02T05:13:33Z");

    assertThat(HumanDuration.since(timestamp, now)).isEqualTo(shown);
  }
}
