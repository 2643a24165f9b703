package io.dormouse.gateway.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The gateway's Prometheus metrics; names are a contract with dashboards and alerts. */
public final class GatewayMetrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, AtomicInteger> queueDepth = new ConcurrentHashMap<>();

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    return registry.scrape();
  }

  public void record(RequestRecord r) {
    Counter.builder("dormouse.gateway.requests")
        .description("Requests by endpoint, project and HTTP status")
        .tags(
            "namespace",
            r.namespace(),
            "endpoint",
            r.endpoint(),
            "project",
            r.project(),
            "code",
            Integer.toString(r.status()))
        .register(registry)
        .increment();
    if (r.endpoint().isEmpty()) {
      return;
    }
    Timer.builder("dormouse.gateway.request.duration")
        .description("Time from request to the end of its response")
        .tags("namespace", r.namespace(), "endpoint", r.endpoint())
        .publishPercentileHistogram()
        .register(registry)
        .record(Duration.ofMillis(r.totalMillis()));
    if (r.wakeWaitMillis() > 0) {
      Timer.builder("dormouse.gateway.wake.wait")
          .description("Time a request waited for a ready backend")
          .tags("namespace", r.namespace(), "endpoint", r.endpoint())
          .publishPercentileHistogram()
          .register(registry)
          .record(Duration.ofMillis(r.wakeWaitMillis()));
    }
    tokens(r, "prompt", r.promptTokens());
    tokens(r, "completion", r.completionTokens());
  }

  private void tokens(RequestRecord r, String kind, long n) {
    if (n > 0) {
      Counter.builder("dormouse.gateway.tokens")
          .description("Tokens used, by kind")
          .tags(
              "namespace",
              r.namespace(),
              "endpoint",
              r.endpoint(),
              "project",
              r.project(),
              "kind",
              kind)
          .register(registry)
          .increment(n);
    }
  }

  public void rateLimited(String namespace, String endpoint, String project, String limit) {
    Counter.builder("dormouse.gateway.ratelimited")
        .description("Requests refused by a rate limit")
        .tags("namespace", namespace, "endpoint", endpoint, "project", project, "limit", limit)
        .register(registry)
        .increment();
  }

  public void queueDepth(String namespace, String endpoint, int depth) {
    queueDepth
        .computeIfAbsent(
            namespace + "/" + endpoint,
            k -> {
              AtomicInteger value = new AtomicInteger();
              Gauge.builder("dormouse.gateway.queue.depth", value, AtomicInteger::get)
                  .description("Requests waiting for a backend")
                  .tags("namespace", namespace, "endpoint", endpoint)
                  .register(registry);
              return value;
            })
        .set(depth);
  }
}
