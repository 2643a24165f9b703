package io.dormouse.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.operator.testing.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final OperatorMetrics metrics = new OperatorMetrics(registry, clock);

  @Test
  void gpuSecondsIntegrateTheGpusAskedOverTime() {
    metrics.tierGpus("a100", 4);
    clock.advance(Duration.ofSeconds(100));
    metrics.tierGpus("a100", 0);
    clock.advance(Duration.ofSeconds(1000));

    assertThat(registry.scrape()).contains("dormouse_tier_gpu_seconds_total{tier=\"a100\"} 400.0");
  }

  @Test
  void thePhaseGaugeIsOneForTheCurrentPhaseOnly() {
    metrics.observe("team", "llama", Phase.Waking, 0, true);
    metrics.observe("team", "llama", Phase.Ready, 2, true);

    String text = registry.scrape();
    assertThat(text)
        .contains(
            "dormouse_endpoint_phase{endpoint=\"llama\",namespace=\"team\",phase=\"Ready\"} 1.0")
        .contains(
            "dormouse_endpoint_phase{endpoint=\"llama\",namespace=\"team\",phase=\"Waking\"} 0.0")
        .contains("dormouse_endpoint_ready_replicas{endpoint=\"llama\",namespace=\"team\"} 2.0")
        .contains("dormouse_endpoint_maintenance{endpoint=\"llama\",namespace=\"team\"} 1.0");
  }

  @Test
  void aServedNameConflictAndRefusedProjectsAreGauges() {
    metrics.tenancy("aaa", "llama3-8b", true, false);
    metrics.tenancy("ml-serving", "llama3-8b", false, true);

    assertThat(registry.scrape())
        .contains(
            "dormouse_endpoint_served_name_conflict{endpoint=\"llama3-8b\",namespace=\"aaa\"} 1.0")
        .contains(
            "dormouse_endpoint_served_name_conflict{endpoint=\"llama3-8b\",namespace=\"ml-serving\"} 0.0")
        .contains(
            "dormouse_endpoint_projects_refused{endpoint=\"llama3-8b\",namespace=\"ml-serving\"} 1.0");
  }

  @Test
  void aDeletedEndpointsGaugesGo() {
    metrics.observe("team", "gone", Phase.Hibernated, 0, false);
    metrics.observe("team", "kept", Phase.Hibernated, 0, false);
    metrics.retainEndpoints(Set.of("team/kept"));

    assertThat(registry.scrape()).doesNotContain("endpoint=\"gone\"").contains("endpoint=\"kept\"");
  }

  @Test
  void fallbacksWakeFailuresAndWakeDurationsAreCounted() {
    metrics.fallback("team", "llama", "a", "b", "Unschedulable");
    metrics.wakeFailed("team", "llama");
    metrics.wakeCompleted("team", "llama", "b", Duration.ofSeconds(42));

    assertThat(registry.scrape())
        .contains(
            "dormouse_tier_fallbacks_total{endpoint=\"llama\",from_tier=\"a\",namespace=\"team\",reason=\"Unschedulable\",to_tier=\"b\"} 1.0")
        .contains(
            "dormouse_endpoint_wake_failures_total{endpoint=\"llama\",namespace=\"team\"} 1.0")
        .contains(
            "dormouse_endpoint_wake_duration_seconds_count{endpoint=\"llama\",namespace=\"team\",tier=\"b\"} 1");
  }
}
