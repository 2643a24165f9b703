package io.dormouse.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

  @Test
  void reportsPercentilesOfMicrosInMillis() {
    Histogram h = LatencySummary.newMicrosHistogram();
    for (int i = 1; i <= 1000; i++) {
      h.recordValue(i * 10L); // 10 µs .. 10 ms, evenly
    }
    LatencySummary s = LatencySummary.of(h);
    assertThat(s.count()).isEqualTo(1000);
    assertThat(s.p50Ms()).isCloseTo(5.0, within(0.01));
    assertThat(s.p99Ms()).isCloseTo(9.9, within(0.01));
    assertThat(s.p999Ms()).isCloseTo(9.99, within(0.01));
    assertThat(s.maxMs()).isCloseTo(10.0, within(0.01));
    assertThat(s.meanMs()).isCloseTo(5.005, within(0.01));
  }

  @Test
  void anEmptyHistogramIsAllZero() {
    assertThat(LatencySummary.of(LatencySummary.newMicrosHistogram()))
        .isEqualTo(LatencySummary.EMPTY);
  }
}
