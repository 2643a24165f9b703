package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.duration.GoDuration;
import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.Transition;
import io.dormouse.api.v1alpha1.WakeRecord;
import io.dormouse.gateway.auth.ApiKey;
import io.dormouse.sim.apiserver.Kubectl;
import io.dormouse.sim.cluster.NodeLifetime;
import io.dormouse.sim.cluster.NodePool;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU nodes that come and go with the endpoints, wakes measured phase by phase, and starts that
 * never get stuck, end to end in the sim: Karpenter launches a node for a waking endpoint after a
 * provisioning delay and removes it once empty; a spot interruption falls back to on-demand; a pod
 * stuck in ContainerCreating and an engine out of GPU memory fail their tier over with the reason.
 */
class KarpenterEndToEndTest {

  private static final Duration BOUND = Duration.ofSeconds(120);
  private static final Duration PROVISIONING = Duration.ofSeconds(3);
  private static final Duration IMAGE_PULL = Duration.ofSeconds(1);
  private static final String NS = "team-k";

  static final String TIERS =
      """
      apiVersion: dormouse.io/v1alpha1
      kind: GpuTier
      metadata:
        name: k-spot
      spec:
        capacityType: spot
        pricePerGpuHour: "1.57"
        maxGpus: 8
        nodePool:
          nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
          instanceTypes: [g5.xlarge]
          nodeIdleTimeout: 3s
          taints: [{key: nvidia.com/gpu, effect: NoSchedule}]
      ---
      apiVersion: dormouse.io/v1alpha1
      kind: GpuTier
      metadata:
        name: k-spot-b
      spec:
        capacityType: spot
        pricePerGpuHour: "1.57"
        nodePool:
          nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
          instanceTypes: [g5.xlarge]
          nodeIdleTimeout: 3s
      ---
      apiVersion: dormouse.io/v1alpha1
      kind: GpuTier
      metadata:
        name: k-on-demand
      spec:
        capacityType: on-demand
        pricePerGpuHour: "5.12"
        nodePool:
          nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
          instanceTypes: [p4de.24xlarge]
          nodeIdleTimeout: 1h
      ---
      apiVersion: dormouse.io/v1alpha1
      kind: GpuTier
      metadata:
        name: fixed-a
      spec:
        capacityType: on-demand
        nodeSelector: {sim.dormouse.io/capacity: fixed-a}
      ---
      apiVersion: dormouse.io/v1alpha1
      kind: GpuTier
      metadata:
        name: fixed-b
      spec:
        capacityType: on-demand
        nodeSelector: {sim.dormouse.io/capacity: fixed-b}
      """;

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
                .provisioningDelay(PROVISIONING)
                .imagePull(IMAGE_PULL)
                .pool("fixed-a", new NodePool(1, 8))
                .pool("fixed-b", new NodePool(1, 8)));
    world.apply(TIERS);
    key = world.mintKey("search");
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  static String endpoint(String name, String tiers, String idle, String start, String engine) {
    return """
        apiVersion: dormouse.io/v1alpha1
        kind: InferenceEndpoint
        metadata:
          name: %s
          namespace: team-k
        spec:
          model:
            name: meta-llama/Meta-Llama-3-8B-Instruct
          engine:
        %s
          tiers: [%s]
          scaling:
            idleTimeout: %s
            wakeTimeout: 100s
            tierStartTimeout: %s
          access:
            projects: [search]
        """
        .formatted(name, engine, tiers, idle, start);
  }

  private static final String LOADS_IN_1S =
      "    env:\n      - {name: DORMOUSE_SIM_STARTUP, value: 1s}";

  private static HttpRequest chat(String model) {
    return HttpRequest.newBuilder(URI.create(world.gatewayUrl() + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + key.secret())
        .header("Content-Type", "application/json")
        .timeout(BOUND)
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"model\":\""
                    + model
                    + "\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
        .build();
  }

  private static InferenceEndpoint get(String name) {
    return world.client().resources(InferenceEndpoint.class).inNamespace(NS).withName(name).get();
  }

  private static Phase phase(String name) {
    InferenceEndpoint ie = get(name);
    return ie == null || ie.getStatus() == null ? null : ie.getStatus().getPhase();
  }

  private static List<Node> nodesOf(String tier) {
    return world.client().nodes().withLabel("dormouse.io/tier", tier).list().getItems();
  }

  private static Duration sum(WakeRecord w) {
    return Stream.of(
            w.getTierFallback(),
            w.getNodeProvisioning(),
            w.getScheduling(),
            w.getImagePull(),
            w.getContainerStart(),
            w.getModelLoad(),
            w.getRegistration())
        .map(GoDuration::parse)
        .reduce(Duration.ZERO, Duration::plus);
  }

  @Test
  void aHibernatedEndpointWakesThroughNodeProvisioningServesHibernatesAndItsNodeGoes()
      throws Exception {
    world.apply(endpoint("nodes", "k-spot", "4s", "60s", LOADS_IN_1S));
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("nodes") == Phase.Hibernated);
    assertThat(nodesOf("k-spot")).as("no GPU node while asleep").isEmpty();

    HttpResponse<String> response = http.send(chat("nodes"), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    WakeRecord wake =
        await()
            .ignoreExceptions()
            .atMost(BOUND)
            .until(() -> get("nodes").getStatus().getLastWake(), w -> w != null);
    assertThat(wake.getTier()).isEqualTo("k-spot");
    assertThat(GoDuration.parse(wake.getNodeProvisioning()))
        .as("the node took the provisioning delay")
        .isGreaterThanOrEqualTo(PROVISIONING.minusSeconds(1));
    assertThat(GoDuration.parse(wake.getImagePull())).isLessThanOrEqualTo(Duration.ofSeconds(3));
    assertThat(sum(wake)).isEqualTo(GoDuration.parse(wake.getTotal()));
    // The wake as the status history measures it: Waking to Ready.
    List<Transition> history = get("nodes").getStatus().getHistory();
    Instant waking =
        history.stream()
            .filter(t -> t.getTo() == Phase.Waking)
            .map(t -> Instant.parse(t.getTime()))
            .findFirst()
            .orElseThrow();
    Instant ready =
        history.stream()
            .filter(t -> t.getTo() == Phase.Ready)
            .map(t -> Instant.parse(t.getTime()))
            .findFirst()
            .orElseThrow();
    assertThat(Duration.between(waking, ready).minus(sum(wake)).abs())
        .as("the phases add up to the measured wake")
        .isLessThanOrEqualTo(Duration.ofSeconds(1));
    String launched = nodesOf("k-spot").stream().findFirst().orElseThrow().getMetadata().getName();

    await().ignoreExceptions().atMost(BOUND).until(() -> phase("nodes") == Phase.Hibernated);
    await().atMost(BOUND).until(() -> nodesOf("k-spot").isEmpty());
    NodeLifetime life =
        world.cluster().nodeLifetimes().stream()
            .filter(l -> l.node().equals(launched))
            .findFirst()
            .orElseThrow();
    assertThat(life.deletedAt()).isNotNull();
    assertThat(life.tier()).isEqualTo("k-spot");
    assertThat(life.capacityType()).isEqualTo("spot");
    assertThat(life.gpus()).isEqualTo(1);
    assertThat(life.lifetime(Instant.now()))
        .as("served, idled, then consolidateAfter")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(3));

    Assumptions.assumeTrue(Kubectl.installed(), "kubectl is not installed: describe not checked");
    var described = new Kubectl(world.kubeconfig()).run("describe", "ie", "nodes", "-n", NS);
    assertThat(described.out())
        .contains("Last Wake:")
        .contains("Node Provisioning:")
        .contains("Model Load:")
        .contains("Image Pull:");
  }

  @Test
  void aSpotInterruptionMidServingFallsBackToOnDemandAndTheNextRequestIsServed() throws Exception {
    // tierStartTimeout covers provisioning, pull and load on a loaded machine.
    world.apply(endpoint("spotty", "k-spot-b, k-on-demand", "10m", "30s", LOADS_IN_1S));
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("spotty") == Phase.Hibernated);
    assertThat(http.send(chat("spotty"), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    await()
        .ignoreExceptions()
        .atMost(BOUND)
        .until(() -> "k-spot-b".equals(get("spotty").getStatus().getActiveTier()));
    String spotNode = nodesOf("k-spot-b").get(0).getMetadata().getName();

    world.cluster().karpenterCapacity("dormouse-k-spot-b", false);
    world.cluster().interruptNode(spotNode, Duration.ofSeconds(2));

    await()
        .atMost(BOUND)
        .until(
            () ->
                world.client().nodes().withName(spotNode).get() == null
                    || world
                        .client()
                        .nodes()
                        .withName(spotNode)
                        .get()
                        .getSpec()
                        .getTaints()
                        .stream()
                        .anyMatch(t -> "karpenter.sh/disrupted".equals(t.getKey())));
    CompletableFuture<HttpResponse<String>> next =
        http.sendAsync(chat("spotty"), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> served =
        next.get(BOUND.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

    assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
    await()
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () -> assertThat(get("spotty").getStatus().getActiveTier()).isEqualTo("k-on-demand"));
    assertThat(world.client().nodes().withName(spotNode).get()).isNull();
    world.cluster().karpenterCapacity("dormouse-k-spot-b", true);
  }

  @Test
  void aPodStuckInContainerCreatingFailsItsTierOverAfterTierStartTimeout() throws Exception {
    // A ReadWriteOnce model cache already attached on fixed-b's node: fixed-a's pod cannot
    // attach it; fixed-b's, on that same node, can.
    world
        .client()
        .persistentVolumeClaims()
        .inNamespace(NS)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("weights")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity("100Gi"))
                .endResources()
                .endSpec()
                .build())
        .create();
    world
        .client()
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("weights-loader")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withNodeName("fixed-b-node-0")
                .addNewContainer()
                .withName("loader")
                .withImage("busybox")
                .endContainer()
                .addNewVolume()
                .withName("w")
                .withNewPersistentVolumeClaim()
                .withClaimName("weights")
                .endPersistentVolumeClaim()
                .endVolume()
                .endSpec()
                .build())
        .create();
    world.apply(
        endpoint(
            "stuck",
            "fixed-a, fixed-b",
            "10m",
            "15s",
            LOADS_IN_1S + "\n    modelCache: {claimName: weights}"));
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("stuck") == Phase.Hibernated);

    HttpResponse<String> response = http.send(chat("stuck"), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    InferenceEndpoint ie = get("stuck");
    assertThat(ie.getStatus().getActiveTier()).isEqualTo("fixed-b");
    assertThat(ie.getStatus().getTiers())
        .anySatisfy(
            t -> {
              assertThat(t.getName()).isEqualTo("fixed-a");
              assertThat(t.getReason()).isEqualTo("ContainerCreating");
              assertThat(t.getMessage()).contains("Multi-Attach").contains("tierStartTimeout");
            });
    assertThat(ie.getStatus().getHistory())
        .anySatisfy(t -> assertThat(t.getReason()).isEqualTo("TierFallback"));
  }

  @Test
  void anEngineOutOfGpuMemoryAtLoadShowsOutOfMemory() throws Exception {
    world.apply(
        endpoint(
            "oom",
            "fixed-a",
            "10m",
            "60s",
            "    env:\n"
                + "      - {name: DORMOUSE_SIM_STARTUP, value: 200ms}\n"
                + "      - {name: DORMOUSE_SIM_FAULT, value: oom}"));
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("oom") == Phase.Hibernated);

    HttpResponse<String> response = http.send(chat("oom"), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isIn(503, 504);
    await()
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(get("oom").getStatus().getTiers())
                    .anySatisfy(
                        t -> {
                          assertThat(t.getReason()).isEqualTo("OutOfMemory");
                          assertThat(t.getMessage()).contains("CUDA out of memory");
                        }));
    assertThat(
            world.client().v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "oom".equals(e.getInvolvedObject().getName()))
                .map(e -> e.getMessage()))
        .anySatisfy(m -> assertThat(m).contains("CUDA out of memory"));
  }

  @Test
  void theKarpenterExampleAppliedWithKubectlGetsReadyNodePoolsAndAnEndpointOnThemWakes()
      throws Exception {
    Assumptions.assumeTrue(Kubectl.installed(), "kubectl is not installed on this machine");
    Kubectl kubectl = new Kubectl(world.kubeconfig());
    Path example = Path.of("..", "examples", "karpenter-gpu-tiers.yaml").toAbsolutePath();

    var applied = kubectl.run("apply", "-f", example.toString());

    assertThat(applied.exitCode()).as(applied.out()).isZero();
    for (String tier : List.of("karpenter-spot-a100", "karpenter-on-demand-a100")) {
      await()
          .ignoreExceptions()
          .atMost(BOUND)
          .untilAsserted(
              () ->
                  assertThat(
                          world
                              .client()
                              .resources(GpuTier.class)
                              .withName(tier)
                              .get()
                              .getStatus()
                              .getConditions())
                      .anySatisfy(
                          c -> {
                            assertThat(c.getType()).isEqualTo("NodePoolReady");
                            assertThat(c.getStatus()).isEqualTo("True");
                          }));
    }
    Path manifest =
        Files.writeString(
            dir.resolve("on-example.yaml"),
            endpoint(
                "on-example",
                "karpenter-spot-a100, karpenter-on-demand-a100",
                "10m",
                "60s",
                LOADS_IN_1S));
    assertThat(kubectl.run("apply", "-f", manifest.toString()).exitCode()).isZero();
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("on-example") == Phase.Hibernated);

    HttpResponse<String> response =
        http.send(chat("on-example"), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(nodesOf("karpenter-spot-a100")).hasSize(1);
    assertThat(nodesOf("karpenter-spot-a100").get(0).getMetadata().getLabels())
        .containsEntry("karpenter.sh/capacity-type", "spot")
        .containsEntry("karpenter.k8s.aws/instance-gpu-name", "a100");
  }
}
