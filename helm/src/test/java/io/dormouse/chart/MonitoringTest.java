package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ServiceMonitor, alerts and dashboard speak the metric names the operator and gateway export. */
class MonitoringTest {

  /** The metric contract of the operator and the gateway (histograms by their base name). */
  static final Set<String> METRICS =
      Set.of(
          "dormouse_endpoint_phase",
          "dormouse_endpoint_wake_duration_seconds",
          "dormouse_wake_phase_seconds",
          "dormouse_tier_fallbacks_total",
          "dormouse_tier_gpu_seconds_total",
          "dormouse_endpoint_ready_replicas",
          "dormouse_endpoint_wake_failures_total",
          "dormouse_endpoint_maintenance",
          "dormouse_endpoint_cost_total",
          "dormouse_ledger_database_up",
          "dormouse_ledger_pending_rows",
          "dormouse_gateway_requests_total",
          "dormouse_gateway_request_duration_seconds",
          "dormouse_gateway_wake_wait_seconds",
          "dormouse_gateway_tokens_total",
          "dormouse_gateway_ratelimited_total",
          "dormouse_gateway_queue_depth");

  private static final Pattern METRIC = Pattern.compile("\\bdormouse_[a-z_]+");
  private static final String NOT_IN_MAINTENANCE =
      "and on (namespace, endpoint) (max by (namespace, endpoint) (dormouse_endpoint_maintenance) == 0)";

  @Test
  void byDefaultNoPrometheusOperatorObjectIsRenderedWithoutThatOperatorInstalled() {
    Manifests m = Chart.render(ValueSet.DEFAULTS);

    assertThat(m.ofKind("ServiceMonitor")).isEmpty();
    assertThat(m.ofKind("PrometheusRule")).isEmpty();
  }

  @Test
  void serviceMonitorsScrapeBothComponentsKeepingTheMetricsOwnLabels() {
    Manifests m = Chart.render(ValueSet.NON_DEFAULT);

    var monitors = m.ofKind("ServiceMonitor");
    assertThat(monitors).hasSize(2);
    for (var entry :
        Map.of(
                "dormouse-operator", "dormouse-operator-metrics",
                "dormouse-gateway", "dormouse-gateway")
            .entrySet()) {
      JsonNode monitor = m.one("ServiceMonitor", entry.getKey());
      JsonNode service = m.one("Service", entry.getValue());
      assertThat(monitor.at("/metadata/labels/release").asText())
          .isEqualTo("kube-prometheus-stack");
      assertThat(labels(service.at("/metadata/labels")))
          .containsAllEntriesOf(labels(monitor.at("/spec/selector/matchLabels")));
      assertThat(monitor.at("/spec/endpoints"))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.get("port").asText()).isEqualTo("metrics");
                assertThat(e.get("honorLabels").asBoolean()).isTrue();
              });
      assertThat(service.at("/spec/ports"))
          .extracting(p -> p.get("name").asText())
          .contains("metrics");
    }
    // Only the metrics Services match: the gateway monitor must not also match the operator's.
    var operatorService =
        labels(m.one("Service", "dormouse-operator-metrics").at("/metadata/labels"));
    var gatewaySelector =
        labels(m.one("ServiceMonitor", "dormouse-gateway").at("/spec/selector/matchLabels"));
    assertThat(operatorService.entrySet().containsAll(gatewaySelector.entrySet())).isFalse();
  }

  @Test
  void alertsCoverTheFourFailuresAndAreSilencedInMaintenance() {
    JsonNode rule = Chart.render(ValueSet.NON_DEFAULT).one("PrometheusRule", "dormouse");

    List<JsonNode> alerts = new ArrayList<>();
    rule.at("/spec/groups").forEach(g -> g.get("rules").forEach(alerts::add));
    assertThat(alerts)
        .extracting(a -> a.get("alert").asText())
        .containsExactlyInAnyOrder(
            "DormouseReplicaUnavailable",
            "DormouseWakeFailed",
            "DormouseWakeSlow",
            "DormouseRateLimitSaturated");
    assertThat(alerts)
        .allSatisfy(
            a -> {
              String expr = a.get("expr").asText();
              assertThat(expr).as(a.get("alert").asText()).contains(NOT_IN_MAINTENANCE);
              assertThat(metrics(expr)).as(a.get("alert").asText()).isSubsetOf(METRICS);
              assertThat(a.at("/labels/severity").asText()).isIn("warning", "critical");
              assertThat(a.at("/annotations/summary").asText()).contains("{{ $labels.");
            });
    assertThat(alerts)
        .filteredOn(a -> a.get("alert").asText().equals("DormouseWakeSlow"))
        .singleElement()
        .satisfies(a -> assertThat(a.get("expr").asText()).contains("> 120"));
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void dashboardShowsRequestsTokensWakeWaitsPhasesAndGpuHours(ValueSet values) throws Exception {
    JsonNode configMap = Chart.render(values).one("ConfigMap", "dormouse-dashboard");
    JsonNode dashboard = new ObjectMapper().readTree(configMap.at("/data/dormouse.json").asText());

    assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    List<JsonNode> panels =
        StreamSupport.stream(dashboard.get("panels").spliterator(), false).toList();
    assertThat(panels)
        .extracting(p -> p.get("title").asText())
        .contains(
            "Requests",
            "Tokens",
            "Wake waits",
            "Phases",
            "GPU-hours per tier",
            "Cost per endpoint",
            "Tokens per project",
            "Wake phases (p95)");
    assertThat(panels)
        .allSatisfy(
            p ->
                p.get("targets")
                    .forEach(
                        t ->
                            assertThat(metrics(t.get("expr").asText()))
                                .as(p.get("title").asText())
                                .isNotEmpty()
                                .isSubsetOf(METRICS)));
    assertThat(panels)
        .filteredOn(p -> p.get("title").asText().equals("GPU-hours per tier"))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.at("/targets/0/expr").asText())
                    .contains("dormouse_tier_gpu_seconds_total")
                    .contains("/ 3600"));
    assertThat(panels)
        .filteredOn(p -> p.get("title").asText().equals("Cost per endpoint"))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.at("/targets/0/expr").asText())
                    .contains("increase(dormouse_endpoint_cost_total")
                    .contains("by (namespace, endpoint)"));
    assertThat(panels)
        .filteredOn(p -> p.get("title").asText().equals("Tokens per project"))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.at("/targets/0/expr").asText())
                    .contains("dormouse_gateway_tokens_total")
                    .contains("by (project)"));
  }

  /** Metric names in a PromQL expression, histogram series folded to their base name. */
  static Set<String> metrics(String promql) {
    Set<String> names = new java.util.TreeSet<>();
    Matcher m = METRIC.matcher(promql);
    while (m.find()) {
      names.add(m.group().replaceFirst("_(bucket|count|sum)$", ""));
    }
    return names;
  }

  private static Map<String, String> labels(JsonNode node) {
    Map<String, String> out = new java.util.TreeMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
