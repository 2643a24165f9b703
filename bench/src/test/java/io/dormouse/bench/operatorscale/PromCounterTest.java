package io.dormouse.bench.operatorscale;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromCounterTest {

  private static final String METRICS =
      String.join(
          "\n",
          "# TYPE reconciles_total counter",
          "reconciles_total{controller=\"endpoint\"} 1200.0",
          "reconciles_total{controller=\"tier\"} 34.0 1700000000000",
          "reconciles_total_created 1.7E9",
          "reconciles 5",
          "other_total 9.0");

  @Test
  void addsUpEverySeriesOfTheNameAndOnlyOfIt() {
    assertThat(PromCounter.sum(METRICS, "reconciles_total")).hasValue(1234.0);
    assertThat(PromCounter.sum(METRICS, "reconciles")).hasValue(5.0);
    assertThat(PromCounter.sum(METRICS, "missing_total")).isEmpty();
  }
}
