package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.gateway.auth.ApiKey;
import io.dormouse.sim.cluster.NodePool;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Autoscaling end to end (issue 17): the operator reads the gateway's load over its management
 * port, scales an endpoint 1 → 4 on a load ramp, back to minReplicas after scaleDownDelay while a
 * client keeps sending (no request dropped, none answered 5xx), then Hibernated after idleTimeout;
 * and replicas a tier's cap cannot hold spill over to the next tier, 2 + 2, then move back, 4 + 0,
 * when the cap grows.
 */
class AutoscalingEndToEndTest {

  private static final Duration BOUND = Duration.ofSeconds(120);
  private static final String NS = "team-a";

  @TempDir static Path dir;
  static SimWorld world;
  static ApiKey key;
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    world =
        SimWorld.start(
            new SimWorld.Settings()
                .workDir(dir)
                .namespaces(List.of(NS))
                .preStopDelay(Duration.ofSeconds(1))
                .operatorLoadPollPeriod(Duration.ofMillis(500))
                .operatorLoadWindow(Duration.ofSeconds(2))
                .pool("wide", new NodePool(1, 8))
                .pool("narrow", new NodePool(1, 8))
                .pool("overflow", new NodePool(1, 8)));
    world.apply(
        """
        apiVersion: dormouse.io/v1alpha1
        kind: GpuTier
        metadata:
          name: wide
        spec:
          capacityType: on-demand
          nodeSelector: {sim.dormouse.io/capacity: wide}
        ---
        apiVersion: dormouse.io/v1alpha1
        kind: GpuTier
        metadata:
          name: narrow
        spec:
          capacityType: spot
          nodeSelector: {sim.dormouse.io/capacity: narrow}
          maxGpus: 2
        ---
        apiVersion: dormouse.io/v1alpha1
        kind: GpuTier
        metadata:
          name: overflow
        spec:
          capacityType: on-demand
          nodeSelector: {sim.dormouse.io/capacity: overflow}
        """);
    key = world.mintKey("search");
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  private static InferenceEndpoint get(String name) {
    return world.client().resources(InferenceEndpoint.class).inNamespace(NS).withName(name).get();
  }

  private static Phase phase(String name) {
    InferenceEndpoint ie = get(name);
    return ie == null || ie.getStatus() == null ? null : ie.getStatus().getPhase();
  }

  private static int asked(String endpoint, String tier) {
    Deployment d =
        world
            .client()
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName(Wiring.engineName(endpoint, tier))
            .get();
    return d == null || d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
  }

  private static int ready(String name) {
    InferenceEndpoint ie = get(name);
    return ie == null || ie.getStatus() == null || ie.getStatus().getReadyReplicas() == null
        ? 0
        : ie.getStatus().getReadyReplicas();
  }

  private static List<Event> events(String name, String reason) {
    return world.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .sorted(Comparator.comparing(e -> String.valueOf(e.getMetadata().getCreationTimestamp())))
        .toList();
  }

  private static CompletableFuture<Integer> chat(String model) {
    return http.sendAsync(
            HttpRequest.newBuilder(URI.create(world.gatewayUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key.secret())
                .header("Content-Type", "application/json")
                .timeout(BOUND)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\""
                            + model
                            + "\",\"max_tokens\":30,\"ignore_eos\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .thenApply(HttpResponse::statusCode)
        .exceptionally(e -> -1);
  }

  /** A client that sends one request after another until stopped; every status it got. */
  private static CompletableFuture<Void> client(
      String model, AtomicBoolean running, ConcurrentLinkedQueue<Integer> statuses) {
    return chat(model)
        .thenCompose(
            status -> {
              statuses.add(status);
              return running.get()
                  ? client(model, running, statuses)
                  : CompletableFuture.completedFuture(null);
            });
  }

  @Test
  void aLoadRampScalesUpAtOnceDownAfterTheDelayWithoutAFailureThenHibernates() throws Exception {
    world.apply(
        """
        apiVersion: dormouse.io/v1alpha1
        kind: InferenceEndpoint
        metadata:
          name: ramp
          namespace: team-a
        spec:
          model:
            name: meta-llama/Meta-Llama-3-8B-Instruct
          engine:
            env:
              - {name: DORMOUSE_SIM_STARTUP, value: 1s}
              - {name: DORMOUSE_SIM_TPS, value: "20"}
          tiers: [wide]
          scaling:
            minReplicas: 0
            maxReplicas: 4
            targetInFlightPerReplica: 2
            scaleDownDelay: 6s
            idleTimeout: 20s
            wakeTimeout: 90s
          access:
            projects: [search]
        """);
    await().atMost(BOUND).until(() -> phase("ramp") == Phase.Hibernated);

    // The first request wakes it, on one replica.
    assertThat(chat("ramp").get()).isEqualTo(200);
    await().atMost(BOUND).until(() -> phase("ramp") == Phase.Ready);
    assertThat(asked("ramp", "wide")).isEqualTo(1);

    // Eight clients, each request ~1.5 s: ~8 in flight, target 2 → 4 replicas.
    AtomicBoolean heavy = new AtomicBoolean(true);
    ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      clients.add(client("ramp", heavy, statuses));
    }
    await().atMost(BOUND).until(() -> asked("ramp", "wide") == 4);
    // The Event is posted after the Deployment is scaled.
    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(events("ramp", "ScaledUp"))
                    .first()
                    .satisfies(
                        e -> assertThat(e.getMessage()).startsWith("1 → 4 replica(s): load ")));
    await().atMost(BOUND).until(() -> ready("ramp") == 4);

    // Down to one client: 4 stay for scaleDownDelay, then 1, while that client keeps sending.
    AtomicBoolean light = new AtomicBoolean(true);
    CompletableFuture<Void> last = client("ramp", light, statuses);
    heavy.set(false);
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();
    await().atMost(BOUND).until(() -> asked("ramp", "wide") == 1);
    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(events("ramp", "ScaledDown"))
                    .isNotEmpty()
                    .allSatisfy(e -> assertThat(e.getMessage()).contains("stayed lower for 6s")));
    // Every replica that left drained: its pods are gone, and the client saw no failure.
    await()
        .atMost(BOUND)
        .until(
            () ->
                world
                        .client()
                        .pods()
                        .inNamespace(NS)
                        .withLabel(Wiring.LABEL_ENDPOINT, "ramp")
                        .list()
                        .getItems()
                        .size()
                    == 1);
    light.set(false);
    last.get();
    assertThat(statuses).isNotEmpty().allSatisfy(s -> assertThat(s).isEqualTo(200));

    // min 0: Hibernated after idleTimeout.
    await().atMost(BOUND).until(() -> phase("ramp") == Phase.Hibernated);
    assertThat(asked("ramp", "wide")).isZero();
  }

  @Test
  void replicasAFullTierCannotHoldSpillOverAndMoveBackWhenRoomFrees() {
    world.apply(
        """
        apiVersion: dormouse.io/v1alpha1
        kind: InferenceEndpoint
        metadata:
          name: spill
          namespace: team-a
        spec:
          model:
            name: meta-llama/Meta-Llama-3-8B-Instruct
          engine:
            env:
              - {name: DORMOUSE_SIM_STARTUP, value: 1s}
          tiers: [narrow, overflow]
          scaling:
            minReplicas: 4
            maxReplicas: 4
          access:
            projects: [search]
        """);
    // minReplicas 4 keeps it awake: the cap of 2 on narrow sends 2 to overflow.
    await()
        .atMost(BOUND)
        .until(() -> asked("spill", "narrow") == 2 && asked("spill", "overflow") == 2);
    await().atMost(BOUND).until(() -> ready("spill") == 4);
    await()
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(events("spill", "TierSpillOver")).isNotEmpty());

    world
        .client()
        .resources(GpuTier.class)
        .withName("narrow")
        .edit(
            t -> {
              t.getSpec().setMaxGpus(4);
              return t;
            });
    await()
        .atMost(BOUND)
        .until(() -> asked("spill", "narrow") == 4 && asked("spill", "overflow") == 0);
    await().atMost(BOUND).until(() -> ready("spill") == 4);
    await()
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(events("spill", "TierMovedBack")).isNotEmpty());
  }
}
