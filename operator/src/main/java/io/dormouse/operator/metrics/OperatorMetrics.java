package io.dormouse.operator.metrics;

import io.dormouse.api.v1alpha1.Phase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The dormouse_* metrics of the operator (names as Prometheus shows them in the comments). */
public final class OperatorMetrics {

  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, EndpointGauges> endpoints = new ConcurrentHashMap<>();
  private final Map<String, GpuSeconds> tiers = new ConcurrentHashMap<>();

  public OperatorMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** dormouse_endpoint_phase, dormouse_endpoint_ready_replicas, dormouse_endpoint_maintenance. */
  public void observe(
      String namespace, String endpoint, Phase phase, int readyReplicas, boolean maintenance) {
    EndpointGauges gauges =
        endpoints.computeIfAbsent(namespace + "/" + endpoint, k -> register(namespace, endpoint));
    gauges.phase.set(phase);
    gauges.ready.set(readyReplicas);
    gauges.maintenance.set(maintenance ? 1 : 0);
  }

  /**
   * dormouse_endpoint_served_name_conflict (1 while another endpoint owns the served name) and
   * dormouse_endpoint_projects_refused (1 while the namespace refuses part of spec.access).
   */
  public void tenancy(String namespace, String endpoint, boolean conflict, boolean refused) {
    EndpointGauges gauges =
        endpoints.computeIfAbsent(namespace + "/" + endpoint, k -> register(namespace, endpoint));
    gauges.conflict.set(conflict ? 1 : 0);
    gauges.refused.set(refused ? 1 : 0);
  }

  /** Drops the gauges of endpoints that no longer exist (keys are namespace/name). */
  public void retainEndpoints(Set<String> live) {
    endpoints
        .entrySet()
        .removeIf(
            e -> {
              if (live.contains(e.getKey())) {
                return false;
              }
              e.getValue().meters.forEach(registry::remove);
              return true;
            });
  }

  /** dormouse_endpoint_wake_duration_seconds. */
  public void wakeCompleted(String namespace, String endpoint, String tier, Duration took) {
    Timer.builder("dormouse.endpoint.wake.duration")
        .description("From the start of a wake to the first ready replica")
        .tags("namespace", namespace, "endpoint", endpoint, "tier", tier)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofSeconds(1))
        .maximumExpectedValue(Duration.ofMinutes(30))
        .register(registry)
        .record(took);
  }

  /**
   * dormouse_wake_phase_seconds{phase}: where wakes spend their time, over all endpoints (per
   * endpoint, status.lastWake has the last one).
   */
  public void wakePhases(Map<String, Duration> phases) {
    phases.forEach(
        (phase, took) ->
            Timer.builder("dormouse.wake.phase")
                .description("One phase of a wake: node provisioning, image pull, model load...")
                .tags("phase", phase)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry)
                .record(took));
  }

  /** dormouse_tier_fallbacks_total. */
  public void fallback(
      String namespace, String endpoint, String fromTier, String toTier, String reason) {
    Counter.builder("dormouse.tier.fallbacks")
        .description("Tiers given up on during a wake or a retry")
        .tags(
            "namespace", namespace,
            "endpoint", endpoint,
            "from_tier", fromTier,
            "to_tier", toTier,
            "reason", reason)
        .register(registry)
        .increment();
  }

  /** dormouse_endpoint_wake_failures_total. */
  public void wakeFailed(String namespace, String endpoint) {
    Counter.builder("dormouse.endpoint.wake.failures")
        .description("Wakes asked for (by a request or alwaysOn) that found no usable tier")
        .tags("namespace", namespace, "endpoint", endpoint)
        .register(registry)
        .increment();
  }

  /**
   * dormouse_endpoint_cost_total: GPU cost of the endpoint's engine pods on the tier, in the tier's
   * currency, from each pod's binding to a node until it is gone (this process's count: it starts
   * at 0 when the leader changes, as counters do).
   */
  public void endpointCost(String namespace, String endpoint, String tier, double amount) {
    Counter.builder("dormouse.endpoint.cost")
        .description("GPU cost of the endpoint's engine pods, GPU-hours times the tier's price")
        .tags("namespace", namespace, "endpoint", endpoint, "tier", tier)
        .register(registry)
        .increment(amount);
  }

  /** Feeds dormouse_tier_gpu_seconds_total: the tier asks for {@code gpus} from now on. */
  public void tierGpus(String tier, int gpus) {
    tiers.computeIfAbsent(tier, this::registerTier).set(gpus, clock.instant());
  }

  private GpuSeconds registerTier(String tier) {
    GpuSeconds meter = new GpuSeconds(clock.instant());
    FunctionCounter.builder("dormouse.tier.gpu.seconds", meter, m -> m.total(clock.instant()))
        .description("GPU-seconds asked of the tier by engine replicas")
        .tags("tier", tier)
        .register(registry);
    return meter;
  }

  private EndpointGauges register(String namespace, String endpoint) {
    EndpointGauges gauges = new EndpointGauges();
    Tags tags = Tags.of("namespace", namespace, "endpoint", endpoint);
    for (Phase phase : Phase.values()) {
      gauges.meters.add(
          Gauge.builder("dormouse.endpoint.phase", gauges.phase, p -> p.get() == phase ? 1 : 0)
              .description("1 for the endpoint's current phase, 0 otherwise")
              .tags(tags.and("phase", phase.name()))
              .register(registry));
    }
    gauges.meters.add(
        Gauge.builder("dormouse.endpoint.ready.replicas", gauges.ready, AtomicInteger::get)
            .description("Engine replicas ready to serve")
            .tags(tags)
            .register(registry));
    gauges.meters.add(
        Gauge.builder("dormouse.endpoint.served.name.conflict", gauges.conflict, AtomicInteger::get)
            .description("1 while another endpoint, which claimed it first, owns the served name")
            .tags(tags)
            .register(registry));
    gauges.meters.add(
        Gauge.builder("dormouse.endpoint.projects.refused", gauges.refused, AtomicInteger::get)
            .description("1 while the namespace refuses part of spec.access")
            .tags(tags)
            .register(registry));
    gauges.meters.add(
        Gauge.builder("dormouse.endpoint.maintenance", gauges.maintenance, AtomicInteger::get)
            .description("1 while spec.maintenance silences the endpoint's alerts")
            .tags(tags)
            .register(registry));
    return gauges;
  }

  private static final class EndpointGauges {
    final AtomicReference<Phase> phase = new AtomicReference<>();
    final AtomicInteger ready = new AtomicInteger();
    final AtomicInteger maintenance = new AtomicInteger();
    final AtomicInteger conflict = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final List<Meter> meters = new ArrayList<>();
  }

  /** GPU-seconds as the integral of GPUs asked over time. */
  private static final class GpuSeconds {
    private double accumulated;
    private int gpus;
    private Instant since;

    GpuSeconds(Instant since) {
      this.since = since;
    }

    synchronized void set(int newGpus, Instant now) {
      accumulated = total(now);
      gpus = newGpus;
      since = now;
    }

    synchronized double total(Instant now) {
      double seconds = Math.max(0, Duration.between(since, now).toMillis() / 1000.0);
      return accumulated + gpus * seconds;
    }
  }
}
