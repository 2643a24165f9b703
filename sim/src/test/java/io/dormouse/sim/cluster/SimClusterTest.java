package io.dormouse.sim.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.CapacityType;
import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.GpuTierSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimClusterTest {

  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final String NS = "team-a";
  private static final Map<String, String> ENGINE_LABELS =
      Map.of(
          "dormouse.io/endpoint",
          "llama",
          "dormouse.io/tier",
          "spot",
          "dormouse.io/role",
          "engine");

  private SimCluster cluster;
  private KubernetesClient client;

  private void start(NodePool spot) {
    cluster =
        SimCluster.start(
            new SimCluster.Settings()
                .pool("spot", spot)
                .crashBackoff(Duration.ofMillis(200))
                .preStopDelay(Duration.ofMillis(500))
                .namespaces(List.of(NS)));
    client = cluster.client();
    GpuTier tier = new GpuTier();
    tier.setMetadata(new ObjectMetaBuilder().withName("spot").build());
    GpuTierSpec spec = new GpuTierSpec();
    spec.setCapacityType(CapacityType.SPOT);
    spec.setNodeSelector(Map.of("pool", "spot"));
    tier.setSpec(spec);
    client.resource(tier).create();
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private Deployment engineDeployment(int replicas, String image, Map<String, String> env) {
    List<EnvVar> vars = new ArrayList<>();
    vars.add(new EnvVar("DORMOUSE_SIM_STARTUP", "300ms", null));
    env.forEach((k, v) -> vars.add(new EnvVar(k, v, null)));
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("llama-spot")
        .withNamespace(NS)
        .withLabels(ENGINE_LABELS)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(ENGINE_LABELS)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(ENGINE_LABELS)
        .endMetadata()
        .withNewSpec()
        .withTerminationGracePeriodSeconds(60L)
        .withNodeSelector(Map.of("pool", "spot"))
        .addNewContainer()
        .withName("vllm")
        .withImage(image)
        .withArgs(
            "--model", "meta-llama/Llama-3-8B", "--served-model-name", "llama", "--port", "8000")
        .withEnv(vars)
        .addNewPort()
        .withName("http")
        .withContainerPort(8000)
        .endPort()
        .withNewResources()
        .withLimits(Map.of("nvidia.com/gpu", new Quantity("1")))
        .endResources()
        .withNewLifecycle()
        .withNewPreStop()
        .withNewExec()
        .withCommand("python3", "-c", "drain")
        .endExec()
        .endPreStop()
        .endLifecycle()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private void createEngine(int replicas, String image, Map<String, String> env) {
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .resource(engineDeployment(replicas, image, env))
        .create();
    client
        .services()
        .inNamespace(NS)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("llama-spot")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withSelector(ENGINE_LABELS)
                .addNewPort()
                .withName("http")
                .withPort(8000)
                .withTargetPort(new IntOrString("http"))
                .endPort()
                .endSpec()
                .build())
        .create();
  }

  private List<Pod> pods() {
    return client.pods().inNamespace(NS).withLabels(ENGINE_LABELS).list().getItems();
  }

  private List<Endpoint> sliceEndpoints() {
    List<EndpointSlice> slices =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace(NS)
            .withLabel("kubernetes.io/service-name", "llama-spot")
            .list()
            .getItems();
    return slices.isEmpty() ? List.of() : slices.get(0).getEndpoints();
  }

  private static HttpRequest chat(String ip, boolean stream) {
    return HttpRequest.newBuilder(URI.create("http://" + ip + ":8000/v1/chat/completions"))
        .header("content-type", "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"model\":\"llama\",\"stream\":"
                    + stream
                    + ",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
  }

  @Test
  void anEngineDeploymentBecomesAReadyPodOnItsOwnLoopbackAddressThatServes() throws Exception {
    start(new NodePool(1, 2));
    createEngine(1, "vllm/vllm-openai:v0.11.0", Map.of());

    await()
        .ignoreExceptions()
        .ignoreExceptions()
        .atMost(BOUND)
        .until(
            () -> {
              Deployment d =
                  client.apps().deployments().inNamespace(NS).withName("llama-spot").get();
              return d.getStatus() != null
                  && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas());
            });

    Deployment d = client.apps().deployments().inNamespace(NS).withName("llama-spot").get();
    assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(1);
    assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
    Pod pod = pods().get(0);
    assertThat(pod.getSpec().getNodeName()).isEqualTo("spot-node-0");
    assertThat(pod.getMetadata().getOwnerReferences().get(0).getUid())
        .isEqualTo(d.getMetadata().getUid());
    assertThat(Pods.ready(pod)).isTrue();
    String ip = pod.getStatus().getPodIP();
    assertThat(ip).startsWith("127.").isNotEqualTo("127.0.0.1");
    await()
        .ignoreExceptions()
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              List<Endpoint> endpoints = sliceEndpoints();
              assertThat(endpoints).hasSize(1);
              assertThat(endpoints.get(0).getAddresses()).containsExactly(ip);
              assertThat(endpoints.get(0).getConditions().getReady()).isTrue();
            });
    EndpointSlice slice =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace(NS)
            .withLabel("kubernetes.io/service-name", "llama-spot")
            .list()
            .getItems()
            .get(0);
    assertThat(slice.getPorts().get(0).getPort()).isEqualTo(8000);
    assertThat(slice.getPorts().get(0).getName()).isEqualTo("http");
    HttpResponse<String> answer =
        HttpClient.newHttpClient().send(chat(ip, false), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("\"usage\"");
  }

  @Test
  void podsBeyondTheTiersGpusStayPendingAsUnschedulable() {
    start(new NodePool(1, 2));
    createEngine(3, "vllm/vllm-openai:v0.11.0", Map.of());

    await()
        .ignoreExceptions()
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              List<Pod> pods = pods();
              assertThat(pods).hasSize(3);
              assertThat(pods.stream().filter(Pods::ready)).hasSize(2);
              assertThat(pods.stream().filter(p -> !Pods.scheduled(p))).hasSize(1);
              Pod pending = pods.stream().filter(p -> !Pods.scheduled(p)).findFirst().orElseThrow();
              assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");
              assertThat(Pods.condition(pending, "PodScheduled")).isPresent();
              var scheduled = Pods.condition(pending, "PodScheduled").orElseThrow();
              assertThat(scheduled.getStatus()).isEqualTo("False");
              assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
              assertThat(scheduled.getMessage()).contains("Insufficient nvidia.com/gpu");
            });
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anyMatch(e -> "FailedScheduling".equals(e.getReason()));
    await()
        .ignoreExceptions()
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              Deployment d =
                  client.apps().deployments().inNamespace(NS).withName("llama-spot").get();
              assertThat(d.getStatus().getReadyReplicas()).isEqualTo(2);
              assertThat(d.getStatus().getReplicas()).isEqualTo(3);
            });
  }

  @Test
  void aTierWithoutNodesSchedulesNothing() {
    start(new NodePool(0, 8));
    createEngine(1, "vllm/vllm-openai:v0.11.0", Map.of());

    await()
        .ignoreExceptions()
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              Pod pod = pods().get(0);
              assertThat(Pods.condition(pod, "PodScheduled").orElseThrow().getMessage())
                  .isEqualTo(
                      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.");
            });
  }

  @Test
  void aPendingPodThatIsScaledAwayIsGoneAtOnceAsNothingRan() {
    // Held by the kubelet finalizer, which no kubelet released for a pod never bound: the pod
    // stayed Terminating, so an endpoint that had fallen back from such a tier never hibernated.
    start(new NodePool(0, 8));
    createEngine(1, "vllm/vllm-openai:v0.11.0", Map.of());
    await()
        .ignoreExceptions()
        .atMost(BOUND)
        .until(() -> Pods.condition(pods().get(0), "PodScheduled").isPresent());

    client.apps().deployments().inNamespace(NS).withName("llama-spot").scale(0);

    await().ignoreExceptions().atMost(BOUND).until(() -> pods().isEmpty());
  }

  @Test
  void scaleDownDrainsTheEngineWhileTheSliceShowsItTerminating() throws Exception {
    start(new NodePool(1, 2));
    createEngine(1, "vllm/vllm-openai:v0.11.0", Map.of("DORMOUSE_SIM_TPS", "10"));
    await()
        .ignoreExceptions()
        .ignoreExceptions()
        .atMost(BOUND)
        .until(
            () ->
                sliceEndpoints().size() == 1
                    && Boolean.TRUE.equals(sliceEndpoints().get(0).getConditions().getReady()));
    String ip = sliceEndpoints().get(0).getAddresses().get(0);
    CompletableFuture<HttpResponse<String>> stream =
        HttpClient.newHttpClient().sendAsync(chat(ip, true), HttpResponse.BodyHandlers.ofString());
    await()
        .ignoreExceptions()
        .ignoreExceptions()
        .atMost(BOUND)
        .until(
            () -> {
              var engine = cluster.engine(NS, pods().get(0).getMetadata().getName());
              return engine != null;
            });

    client.apps().deployments().inNamespace(NS).withName("llama-spot").scale(0);

    await()
        .ignoreExceptions()
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              List<Endpoint> endpoints = sliceEndpoints();
              assertThat(endpoints).hasSize(1);
              assertThat(endpoints.get(0).getConditions().getTerminating()).isTrue();
              assertThat(endpoints.get(0).getConditions().getReady()).isFalse();
              assertThat(endpoints.get(0).getConditions().getServing()).isTrue();
            });
    assertThat(stream.get().body()).endsWith("data: [DONE]\n\n");
    await()
        .ignoreExceptions()
        .atMost(BOUND)
        .until(() -> pods().isEmpty() && sliceEndpoints().isEmpty());
    Deployment d = client.apps().deployments().inNamespace(NS).withName("llama-spot").get();
    assertThat(d.getStatus().getReplicas()).isZero();
  }

  @Test
  void deletedOwnersTakeTheirDependentsWithThem() {
    start(new NodePool(1, 2));
    createEngine(2, "vllm/vllm-openai:v0.11.0", Map.of());
    await()
        .ignoreExceptions()
        .atMost(BOUND)
        .until(() -> pods().stream().filter(Pods::ready).count() == 2);

    client.apps().deployments().inNamespace(NS).withName("llama-spot").delete();
    client.services().inNamespace(NS).withName("llama-spot").delete();

    await().ignoreExceptions().atMost(BOUND).until(() -> pods().isEmpty());
    await()
        .ignoreExceptions()
        .ignoreExceptions()
        .atMost(BOUND)
        .until(
            () ->
                client
                    .discovery()
                    .v1()
                    .endpointSlices()
                    .inNamespace(NS)
                    .list()
                    .getItems()
                    .isEmpty());
  }

  @Test
  void anEngineThatRunsOutOfMemoryCrashLoops() {
    start(new NodePool(1, 2));
    createEngine(
        1,
        "vllm/vllm-openai:v0.11.0",
        Map.of("DORMOUSE_SIM_FAULT", "oom", "DORMOUSE_SIM_STARTUP", "100ms"));

    await()
        .ignoreExceptions()
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              List<Pod> pods = pods();
              assertThat(pods).hasSize(1);
              Pod pod = pods.get(0);
              assertThat(pod.getStatus().getContainerStatuses()).isNotEmpty();
              var status = pod.getStatus().getContainerStatuses().get(0);
              assertThat(status.getRestartCount()).isGreaterThanOrEqualTo(2);
              assertThat(status.getLastState()).isNotNull();
              assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(1);
              assertThat(Pods.ready(pod)).isFalse();
            });
  }

  @Test
  void anImageThatCannotBePulledWaitsWithErrImagePull() {
    start(new NodePool(1, 2));
    createEngine(1, "vllm/vllm-openai:does-not-exist", Map.of());

    await()
        .ignoreExceptions()
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              var status = pods().get(0).getStatus().getContainerStatuses();
              assertThat(status).isNotEmpty();
              assertThat(status.get(0).getState().getWaiting().getReason())
                  .isEqualTo("ErrImagePull");
            });
  }

  @Test
  void aNodePoolThatShrinksTakesItsPodsWithIt() {
    start(new NodePool(1, 2));
    createEngine(1, "vllm/vllm-openai:v0.11.0", Map.of());
    await().ignoreExceptions().atMost(BOUND).until(() -> pods().stream().anyMatch(Pods::ready));
    String reclaimed = pods().get(0).getMetadata().getName();

    cluster.setPool("spot", new NodePool(0, 2));

    // The pod of the vanished node goes; its replacement finds no node and waits.
    await()
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              List<Pod> pods = pods();
              assertThat(pods).extracting(p -> p.getMetadata().getName()).doesNotContain(reclaimed);
              assertThat(pods).hasSize(1);
              assertThat(Pods.condition(pods.get(0), "PodScheduled"))
                  .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("Unschedulable"));
            });
  }

  @Test
  void closingTheClusterStopsItsThreadsAndEngines() throws Exception {
    start(new NodePool(1, 2));
    createEngine(1, "vllm/vllm-openai:v0.11.0", Map.of());
    await().ignoreExceptions().atMost(BOUND).until(() -> pods().stream().anyMatch(Pods::ready));
    String ip = pods().get(0).getStatus().getPodIP();

    cluster.close();
    cluster = null;

    await()
        .atMost(BOUND)
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.isAlive() && t.getName().startsWith("sim-")));
    assertThatThrownBy(() -> new java.net.Socket(ip, 8000).close())
        .isInstanceOf(java.io.IOException.class);
  }
}
