package io.dormouse.bench.cluster;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.auth.ApiKey;
import io.dormouse.sim.SimWorld;
import io.dormouse.sim.cluster.NodePool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * The cluster-wide limit accuracy run: the sim with three gateway replicas sharing a project's
 * request limit over the peer exchange; clients send twice the limit over keep-alive connections in
 * several shapes, and the admitted rate is compared with the limit.
 */
public final class ClusterLimitBench {

  private static final String NS = "team-a";
  private static final long SECOND = 1_000_000_000L;

  private final Path work;
  private final double limit;
  private final Duration window;

  public ClusterLimitBench(Path work, double limit, Duration window) {
    this.work = work;
    this.limit = limit;
    this.window = window;
  }

  public ClusterLimitResult run() throws Exception {
    try (SimWorld world =
        SimWorld.start(
            new SimWorld.Settings()
                .workDir(work.resolve("cluster-sim"))
                .namespaces(List.of(NS))
                .preStopDelay(Duration.ofSeconds(1))
                .gatewayReplicas(3)
                .gateway(b -> b.eventLoops(1))
                .pool("gpu", new NodePool(1, 8)))) {
      world.apply(
          """
          apiVersion: dormouse.io/v1alpha1
          kind: GpuTier
          metadata:
            name: gpu
          spec:
            capacityType: on-demand
            nodeSelector: {sim.dormouse.io/capacity: gpu}
          ---
          apiVersion: dormouse.io/v1alpha1
          kind: InferenceEndpoint
          metadata:
            name: metered
            namespace: team-a
          spec:
            model:
              name: bench/metered
            engine:
              env:
                - {name: DORMOUSE_SIM_STARTUP, value: 1s}
                - {name: DORMOUSE_SIM_TTFT, value: 0ms}
                - {name: DORMOUSE_SIM_TPS, value: "0"}
            replicas: 2
            tiers: [gpu]
            scaling:
              alwaysOn: true
            limits:
              requestsPerSecond: %d
              tokensPerSecond: 100000000
            access:
              public: true
          """
              .formatted((long) limit));
      ApiKey key = world.mintKey("bench");
      long deadline = System.nanoTime() + 180 * SECOND;
      while (!ready(world, key)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the metered endpoint did not serve within 180 s");
        }
        LockSupport.parkNanos(SECOND / 2);
      }
      List<ClusterLimitResult.Scenario> scenarios = new ArrayList<>();
      scenarios.add(scenario(world, key, "one connection to one replica", new double[] {1, 0, 0}));
      scenarios.add(scenario(world, key, "80/20 over two replicas", new double[] {0.8, 0.2, 0}));
      scenarios.add(scenario(world, key, "even over three replicas", new double[] {1, 1, 1}));
      return new ClusterLimitResult(3, limit, scenarios);
    }
  }

  private static boolean ready(SimWorld world, ApiKey key) {
    InferenceEndpoint ie =
        world.client().resources(InferenceEndpoint.class).inNamespace(NS).withName("metered").get();
    if (ie == null || ie.getStatus() == null || ie.getStatus().getPhase() != Phase.Ready) {
      return false;
    }
    HttpClient http = HttpClient.newHttpClient();
    for (int g = 0; g < world.gatewayReplicas(); g++) {
      try {
        if (send(http, world, g, key) != 200) {
          return false;
        }
      } catch (Exception e) {
        return false;
      }
    }
    return true;
  }

  private static int send(HttpClient http, SimWorld world, int replica, ApiKey key)
      throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(world.gatewayUrl(replica) + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key.secret())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"metered\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** Twice the limit, split over the replicas by {@code weights}; one connection per replica. */
  private ClusterLimitResult.Scenario scenario(
      SimWorld world, ApiKey key, String name, double[] weights) {
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    double offered = 2 * limit;
    long start = System.nanoTime();
    long measureFrom = start + 3 * SECOND;
    long end = measureFrom + window.toNanos();
    List<CompletableFuture<Long>> clients = new ArrayList<>();
    for (int g = 0; g < weights.length; g++) {
      if (weights[g] <= 0) {
        continue;
      }
      int replica = g;
      double rate = offered * weights[g] / sum;
      clients.add(
          CompletableFuture.supplyAsync(
              () -> {
                HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                long admitted = 0;
                long gap = (long) (SECOND / rate);
                long next = System.nanoTime();
                while (System.nanoTime() < end) {
                  long now = System.nanoTime();
                  if (now < next) {
                    LockSupport.parkNanos(next - now);
                    continue;
                  }
                  next += gap;
                  try {
                    int status = send(http, world, replica, key);
                    long at = System.nanoTime();
                    if (status == 200 && at >= measureFrom && at < end) {
                      admitted++;
                    }
                  } catch (Exception e) {
                    // counted as not admitted
                  }
                }
                return admitted;
              }));
    }
    long admitted = clients.stream().mapToLong(CompletableFuture::join).sum();
    double rate = admitted / (window.toNanos() / 1e9);
    return new ClusterLimitResult.Scenario(name, offered, rate, rate / limit);
  }
}
