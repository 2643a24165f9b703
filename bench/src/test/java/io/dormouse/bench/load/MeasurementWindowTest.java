package io.dormouse.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MeasurementWindowTest {

  // start 0, warm-up 100, window 1000 (so measured sends are in [100, 1100)), at most 3 counted
  private MeasurementWindow window() {
    return new MeasurementWindow(0, 100, 1000, 3);
  }

  @ParameterizedTest(name = "a send at {0} is measured: {1}")
  @CsvSource({"0, false", "99, false", "100, true", "1099, true", "1100, false"})
  void measuresOnlySendsInsideTheWindow(long send, boolean measured) {
    assertThat(window().admit(send)).isEqualTo(measured);
  }

  @Test
  void closesOnceTheCountIsReached() {
    MeasurementWindow w = window();
    assertThat(w.admit(200)).isTrue();
    assertThat(w.admit(300)).isTrue();
    assertThat(w.isClosed(350)).isFalse();
    assertThat(w.admit(400)).isTrue();
    assertThat(w.isClosed(401)).isTrue();
    assertThat(w.admit(500)).isFalse();
    assertThat(w.counted()).isEqualTo(3);
    assertThat(w.endNanos()).isEqualTo(400);
  }

  @Test
  void endsAtTheDeadlineWhenTheCountIsNotReached() {
    MeasurementWindow w = window();
    w.admit(200);
    assertThat(w.isClosed(1099)).isFalse();
    assertThat(w.isClosed(1100)).isTrue();
    assertThat(w.measureStartNanos()).isEqualTo(100);
    assertThat(w.endNanos()).isEqualTo(1100);
  }
}
