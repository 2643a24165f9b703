package io.dormouse.bench.wake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueueDepthTest {

  private static final String METRICS =
      String.join(
          "\n",
          "# HELP dormouse_gateway_queue_depth",
          "# TYPE dormouse_gateway_queue_depth gauge",
          "dormouse_gateway_queue_depth{endpoint=\"burst\",namespace=\"bench\"} 1000.0",
          "dormouse_gateway_queue_depth{endpoint=\"burst-2\",namespace=\"bench\"} 3.0",
          "dormouse_gateway_queue_depth{endpoint=\"burst\",namespace=\"other\"} 7.0 1700000000000",
          "dormouse_gateway_requests_total{endpoint=\"burst\",namespace=\"bench\"} 12.0");

  @Test
  void readsTheGaugeOfExactlyThatEndpoint() {
    assertThat(QueueDepth.of(METRICS, "bench", "burst")).hasValue(1000.0);
    assertThat(QueueDepth.of(METRICS, "bench", "burst-2")).hasValue(3.0);
    assertThat(QueueDepth.of(METRICS, "other", "burst")).hasValue(7.0);
    assertThat(QueueDepth.of(METRICS, "bench", "nothing")).isEmpty();
  }
}
