package io.dormouse.bench.operatorscale;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.bench.proc.ProcessSampler;
import io.dormouse.bench.proc.ProcessUsage;
import io.dormouse.bench.targets.MockApi;
import io.dormouse.bench.targets.OperatorProcess;
import io.dormouse.bench.targets.Seeds;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process against a fleet: N endpoints already exist when it starts (as after an
 * upgrade or a failover), and the clock runs until every one is Hibernated with its Deployment and
 * Service; then its CPU is sampled over a quiet window.
 */
public final class OperatorScaleBench {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorScaleBench.class);
  private static final String NAMESPACE = "bench-scale";

  /** JOSDK's Micrometer binding: one count per reconcile started. */
  static final String RECONCILES = "operator_sdk_reconciliations_started_total";

  private final int endpoints;
  private final Duration window;
  private final Path work;
  private final Path logs;
  private final boolean autoscaling;

  public OperatorScaleBench(int endpoints, Duration window, Path work, Path logs) {
    this(endpoints, window, work, logs, false);
  }

  /**
   * @param autoscaling every endpoint in the autoscaling form (minReplicas 0, maxReplicas 4)
   */
  public OperatorScaleBench(
      int endpoints, Duration window, Path work, Path logs, boolean autoscaling) {
    this.autoscaling = autoscaling;
    this.endpoints = endpoints;
    this.window = window;
    this.work = work;
    this.logs = logs;
  }

  public OperatorScaleResult run() throws Exception {
    try (MockApi api = MockApi.start()) {
      KubernetesClient client = api.client();
      OperatorProcess.seed(client, List.of(Seeds.GATEWAY_NAMESPACE, NAMESPACE));
      client.resource(Seeds.tier()).create();
      createEndpoints(client);
      long started = System.nanoTime();
      try (OperatorProcess operator = OperatorProcess.start(api, work, logs)) {
        int[] done = awaitFleet(client, operator, Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - started) / 1e9;
        LOG.info(
            "operator scale: {} endpoints Hibernated with Deployment and Service in {} s",
            endpoints,
            seconds);
        return steadyState(operator, seconds, done);
      }
    }
  }

  private void createEndpoints(KubernetesClient client) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<InferenceEndpoint>> created =
          java.util.stream.IntStream.range(0, endpoints)
              .mapToObj(
                  i ->
                      pool.submit(
                          () -> {
                            InferenceEndpoint ie = Seeds.endpoint(String.format("ep-%04d", i), 16);
                            ie.getMetadata().setNamespace(NAMESPACE);
                            if (autoscaling) {
                              ie.getSpec().setReplicas(null);
                              ie.getSpec().getScaling().setMinReplicas(0);
                              ie.getSpec().getScaling().setMaxReplicas(4);
                              ie.getSpec().getScaling().setTargetInFlightPerReplica(10);
                            }
                            return client.resource(ie).create();
                          }))
              .toList();
      for (Future<InferenceEndpoint> f : created) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdown();
    }
  }

  /** Polls until the fleet is done: [hibernated, deployments, services]. */
  private int[] awaitFleet(KubernetesClient client, OperatorProcess operator, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int[] counts = {0, 0, 0};
    while (System.nanoTime() < deadline && operator.isAlive()) {
      counts[0] =
          (int)
              client
                  .resources(InferenceEndpoint.class)
                  .inNamespace(NAMESPACE)
                  .list()
                  .getItems()
                  .stream()
                  .filter(
                      ie -> ie.getStatus() != null && ie.getStatus().getPhase() == Phase.Hibernated)
                  .count();
      counts[1] =
          client
              .apps()
              .deployments()
              .inNamespace(NAMESPACE)
              .withLabel(Wiring.LABEL_ENDPOINT)
              .list()
              .getItems()
              .size();
      counts[2] =
          client
              .services()
              .inNamespace(NAMESPACE)
              .withLabel(Wiring.LABEL_ENDPOINT)
              .list()
              .getItems()
              .size();
      if (counts[0] >= endpoints && counts[1] >= endpoints && counts[2] >= endpoints) {
        return counts;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        String.format(
            "operator: only %d Hibernated, %d Deployments, %d Services of %d within %s",
            counts[0], counts[1], counts[2], endpoints, timeout));
  }

  private OperatorScaleResult steadyState(OperatorProcess operator, double seconds, int[] done)
      throws Exception {
    ProcessSampler sampler =
        new ProcessSampler(operator.pid(), ProcessSampler.clockTicksPerSecond());
    Thread.sleep(2000); // let the last status writes settle before the quiet window
    OptionalDouble reconcilesBefore = reconciles(operator);
    ProcessUsage before = sampler.sample();
    long from = System.nanoTime();
    Thread.sleep(window.toMillis());
    ProcessUsage after = sampler.sample();
    double windowSeconds = (System.nanoTime() - from) / 1e9;
    OptionalDouble reconcilesAfter = reconciles(operator);
    double cpu = after.cpuSeconds() - before.cpuSeconds();
    double count =
        reconcilesBefore.isPresent() && reconcilesAfter.isPresent()
            ? reconcilesAfter.getAsDouble() - reconcilesBefore.getAsDouble()
            : Double.NaN;
    return new OperatorScaleResult(
        endpoints,
        seconds,
        done[0],
        done[1],
        done[2],
        windowSeconds,
        cpu / windowSeconds,
        count,
        count > 0 ? cpu * 1e6 / count : Double.NaN,
        cpu * 1000 / endpoints * 60 / windowSeconds,
        after.rssMb());
  }

  private static OptionalDouble reconciles(OperatorProcess operator) {
    try {
      String text =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(operator.metricsUrl()).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return PromCounter.sum(text, RECONCILES);
    } catch (Exception e) {
      LOG.warn("operator: /metrics unreadable: {}", e.toString());
      return OptionalDouble.empty();
    }
  }
}
