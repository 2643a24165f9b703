package io.dormouse.gateway.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's Prometheus metrics; names are a contract with dashboards and alerts. Meters are
 * registered once per label set and kept: building and looking one up costs more than recording.
 */
public final class GatewayMetrics {

  private record RequestLabels(String namespace, String endpoint, String project, int status) {}

  private record EndpointLabels(String namespace, String endpoint) {}

  private record ProjectLabels(String namespace, String endpoint, String project) {}

  /** The meters of one endpoint. */
  private record EndpointMeters(Timer duration, Timer wakeWait) {}

  /** The token counters of one project on one endpoint. */
  private record TokenMeters(Counter prompt, Counter completion) {}

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<RequestLabels, Counter> requests = new ConcurrentHashMap<>();
  private final Map<EndpointLabels, EndpointMeters> endpoints = new ConcurrentHashMap<>();
  private final Map<ProjectLabels, TokenMeters> tokens = new ConcurrentHashMap<>();
  private final Map<EndpointLabels, AtomicInteger> queueDepth = new ConcurrentHashMap<>();

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    return registry.scrape();
  }

  public void record(RequestRecord r) {
    requests
        .computeIfAbsent(
            new RequestLabels(r.namespace(), r.endpoint(), r.project(), r.status()),
            this::requestCounter)
        .increment();
    if (r.endpoint().isEmpty()) {
      return;
    }
    EndpointMeters meters =
        endpoints.computeIfAbsent(
            new EndpointLabels(r.namespace(), r.endpoint()), this::endpointMeters);
    meters.duration().record(r.totalMillis(), TimeUnit.MILLISECONDS);
    if (r.wakeWaitMillis() > 0) {
      meters.wakeWait().record(r.wakeWaitMillis(), TimeUnit.MILLISECONDS);
    }
    if (r.promptTokens() > 0 || r.completionTokens() > 0) {
      TokenMeters used =
          tokens.computeIfAbsent(
              new ProjectLabels(r.namespace(), r.endpoint(), r.project()), this::tokenMeters);
      if (r.promptTokens() > 0) {
        used.prompt().increment(r.promptTokens());
      }
      if (r.completionTokens() > 0) {
        used.completion().increment(r.completionTokens());
      }
    }
  }

  public void rateLimited(String namespace, String endpoint, String project, String limit) {
    Counter.builder("dormouse.gateway.ratelimited")
        .description("Requests refused by a rate limit")
        .tags(projectTags(namespace, endpoint, project))
        .tag("limit", limit)
        .register(registry)
        .increment();
  }

  public void queueDepth(String namespace, String endpoint, int depth) {
    queueDepth
        .computeIfAbsent(
            new EndpointLabels(namespace, endpoint),
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

  private Counter requestCounter(RequestLabels l) {
    return Counter.builder("dormouse.gateway.requests")
        .description("Requests by endpoint, project and HTTP status")
        .tags(projectTags(l.namespace(), l.endpoint(), l.project()))
        .tag("code", Integer.toString(l.status()))
        .register(registry);
  }

  private EndpointMeters endpointMeters(EndpointLabels l) {
    return new EndpointMeters(
        Timer.builder("dormouse.gateway.request.duration")
            .description("Time from request to the end of its response")
            .tags("namespace", l.namespace(), "endpoint", l.endpoint())
            .publishPercentileHistogram()
            .register(registry),
        Timer.builder("dormouse.gateway.wake.wait")
            .description("Time a request waited for a ready backend")
            .tags("namespace", l.namespace(), "endpoint", l.endpoint())
            .publishPercentileHistogram()
            .register(registry));
  }

  private TokenMeters tokenMeters(ProjectLabels l) {
    return new TokenMeters(tokenCounter(l, "prompt"), tokenCounter(l, "completion"));
  }

  private Counter tokenCounter(ProjectLabels l, String kind) {
    return Counter.builder("dormouse.gateway.tokens")
        .description("Tokens used, by kind")
        .tags(projectTags(l.namespace(), l.endpoint(), l.project()))
        .tag("kind", kind)
        .register(registry);
  }

  private static Tags projectTags(String namespace, String endpoint, String project) {
    return Tags.of("namespace", namespace, "endpoint", endpoint, "project", project);
  }
}
