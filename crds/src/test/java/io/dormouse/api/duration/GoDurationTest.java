package io.dormouse.api.duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({
    "90s, PT1M30S",
    "15m, PT15M",
    "1h, PT1H",
    "1h30m, PT1H30M",
    "250ms, PT0.25S",
    "1.5h, PT1H30M",
    "0s, PT0S"
  })
  void parsesKubernetesStyleDurations(String text, Duration expected) {
    assertThat(GoDuration.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "15", "m", "-1m", "1d", "1 h", "1h-", "PT1H"})
  void refusesAnythingElse(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1h30m", "45s", "250ms", "2h", "1m5s"})
  void formatsWhatItParses(String text) {
    assertThat(GoDuration.format(GoDuration.parse(text))).isEqualTo(text);
  }
}
