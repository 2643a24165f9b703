package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.auth.ApiKey;
import io.dormouse.sim.cluster.NodePool;
import io.dormouse.sim.engine.EngineSimulator;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance list, end to end: the operator and the gateway run unchanged in the
 * simulated cluster, in real time, with the endpoints' timeouts shortened.
 */
class EndToEndTest {

  private static final Duration BOUND = Duration.ofSeconds(120);
  private static final String NS = "team-a";

  static final String TIERS =
      """
      apiVersion: dormouse.io/v1alpha1
      kind: GpuTier
      metadata:
        name: spot
      spec:
        capacityType: spot
        nodeSelector: {sim.dormouse.io/capacity: spot}
        pricePerGpuHour: "1.20"
      ---
      apiVersion: dormouse.io/v1alpha1
      kind: GpuTier
      metadata:
        name: no-spot
      spec:
        capacityType: spot
        nodeSelector: {sim.dormouse.io/capacity: no-spot}
      ---
      apiVersion: dormouse.io/v1alpha1
      kind: GpuTier
      metadata:
        name: on-demand
      spec:
        capacityType: on-demand
        nodeSelector: {sim.dormouse.io/capacity: on-demand}
        pricePerGpuHour: "4.10"
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
                .pool("spot", new NodePool(1, 4))
                .pool("no-spot", new NodePool(0, 8))
                .pool("on-demand", new NodePool(1, 8)));
    world.apply(TIERS);
    key = world.mintKey("search");
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  static String endpoint(String name, String tiers, String idle, String env) {
    return """
        apiVersion: dormouse.io/v1alpha1
        kind: InferenceEndpoint
        metadata:
          name: %s
          namespace: team-a
        spec:
          model:
            name: meta-llama/Meta-Llama-3-8B-Instruct
          engine:
            env:
              - {name: DORMOUSE_SIM_STARTUP, value: 1s}
        %s
          tiers: [%s]
          scaling:
            idleTimeout: %s
            wakeTimeout: 90s
            # A replica not ready within it fails the tier over: room for a slow, loaded machine.
            tierStartTimeout: 30s
          access:
            projects: [search]
        """
        .formatted(name, env, tiers, idle);
  }

  private static HttpRequest chat(String model, boolean stream) {
    return HttpRequest.newBuilder(URI.create(world.gatewayUrl() + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + key.secret())
        .header("Content-Type", "application/json")
        .timeout(BOUND)
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"model\":\""
                    + model
                    + "\",\"stream\":"
                    + stream
                    + ",\"max_tokens\":12,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"))
        .build();
  }

  private static InferenceEndpoint get(String name) {
    return world.client().resources(InferenceEndpoint.class).inNamespace(NS).withName(name).get();
  }

  private static Phase phase(String name) {
    InferenceEndpoint ie = get(name);
    return ie == null || ie.getStatus() == null ? null : ie.getStatus().getPhase();
  }

  @Test
  void theFirstRequestWakesTheEndpointWhichServesThenHibernatesWhenIdle() throws Exception {
    world.apply(endpoint("wake", "spot", "5s", ""));
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("wake") == Phase.Hibernated);

    HttpResponse<String> response =
        http.send(chat("wake", true), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("chat.completion.chunk").endsWith("data: [DONE]\n\n");
    // The history keeps the tier it served on: activeTier itself is cleared when it hibernates,
    // which with 5 s of idle a slow poll could miss.
    await()
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(get("wake").getStatus().getHistory())
                    .anySatisfy(
                        t -> {
                          assertThat(t.getTo()).isEqualTo(Phase.Ready);
                          assertThat(t.getTier()).isEqualTo("spot");
                        }));
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("wake") == Phase.Hibernated);
    await()
        .ignoreExceptions()
        .ignoreExceptions()
        .atMost(BOUND)
        .until(
            () ->
                world
                    .client()
                    .pods()
                    .inNamespace(NS)
                    .withLabel("dormouse.io/endpoint", "wake")
                    .list()
                    .getItems()
                    .isEmpty());
  }

  @Test
  void withTheSpotTierOutOfGpusTheEndpointFallsBackToOnDemandAndServesTheWaitingRequest()
      throws Exception {
    world.apply(endpoint("fallback", "no-spot, on-demand", "5m", ""));
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("fallback") == Phase.Hibernated);

    HttpResponse<String> response =
        http.send(chat("fallback", false), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"usage\"");
    await()
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () -> assertThat(get("fallback").getStatus().getActiveTier()).isEqualTo("on-demand"));
  }

  @Test
  void anInvalidManifestIsRefusedWithTheFieldNamed() {
    String bad =
        endpoint("broken", "spot", "5m", "").replace("tiers: [spot]", "tiers: [spot, spot]");

    assertThatThrownBy(() -> world.apply(bad))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getMessage())
                  .contains("InferenceEndpoint.dormouse.io \"broken\" is invalid")
                  .contains("spec.tiers");
            });
    assertThat(get("broken")).isNull();
  }

  @Test
  void theOperatorRestartedMidWakeLosesNothingAndDuplicatesNothing() throws Exception {
    world.apply(
        endpoint(
            "restart",
            "spot",
            "5m",
            "    - {name: DORMOUSE_SIM_STARTUP, value: 4s}".replace("    - ", "      - ")));
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("restart") == Phase.Hibernated);

    CompletableFuture<HttpResponse<String>> pending =
        http.sendAsync(chat("restart", false), HttpResponse.BodyHandlers.ofString());
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("restart") == Phase.Waking);
    world.restartOperator();

    assertThat(pending.get().statusCode()).isEqualTo(200);
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("restart") == Phase.Ready);
    assertThat(
            world
                .client()
                .apps()
                .deployments()
                .inNamespace(NS)
                .withLabel("dormouse.io/endpoint", "restart")
                .list()
                .getItems())
        .hasSize(1);
    assertThat(
            world
                .client()
                .pods()
                .inNamespace(NS)
                .withLabel("dormouse.io/endpoint", "restart")
                .list()
                .getItems())
        .hasSize(1);
  }

  @Test
  void anEngineCrashMidStreamEndsTheStreamWithACleanErrorAndTheUsageIsRecorded() throws Exception {
    world.apply(
        endpoint(
            "crash",
            "spot",
            "5m",
            """
              - {name: DORMOUSE_SIM_FAULT, value: crash}
              - {name: DORMOUSE_SIM_FAULT_AFTER_TOKENS, value: "3"}
        """
                .stripTrailing()));
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("crash") == Phase.Hibernated);

    HttpResponse<String> response =
        http.send(chat("crash", true), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    List<String> events = response.body().lines().filter(l -> l.startsWith("data: ")).toList();
    assertThat(events).noneMatch(e -> e.equals("data: [DONE]"));
    assertThat(events.get(events.size() - 1)).contains("\"error\"").contains("upstream_error");
    assertThat(events.stream().filter(e -> e.contains("\"content\"")).count())
        .isGreaterThanOrEqualTo(3);
    // Billed for what was generated before the crash: at least the three tokens streamed.
    await()
        .ignoreExceptions()
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(completionTokens("crash")).isGreaterThanOrEqualTo(3.0));
  }

  private static double completionTokens(String endpoint) throws Exception {
    return gatewayMetrics().stream()
        .filter(l -> l.startsWith("dormouse_gateway_tokens_total{"))
        .filter(
            l -> l.contains("endpoint=\"" + endpoint + "\"") && l.contains("kind=\"completion\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static List<String> gatewayMetrics() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(world.gatewayManagementUrl() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body()
        .lines()
        .toList();
  }

  @Test
  void aRequestRacingAHibernationIsHeldAndTheEndpointWokenAgainNeverA502() throws Exception {
    world.apply(
        endpoint(
            "race",
            "spot",
            "3s",
            "      - {name: DORMOUSE_SIM_TPS, value: \"4\"}")); // a 200-token answer: 50 s
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("race") == Phase.Hibernated);
    assertThat(http.send(chat("race", false), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);

    // The race, held open: a stream straight to the engine, which the gateway never sees, so
    // the endpoint goes idle and hibernates while its pod's pre-stop hook waits for that stream.
    String pod =
        world
            .client()
            .pods()
            .inNamespace(NS)
            .withLabel("dormouse.io/endpoint", "race")
            .list()
            .getItems()
            .get(0)
            .getMetadata()
            .getName();
    EngineSimulator engine = world.cluster().engine(NS, pod);
    HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    CompletableFuture<HttpResponse<java.io.InputStream>> held =
        direct.sendAsync(
            HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"race\",\"stream\":true,\"max_tokens\":200,"
                            + "\"ignore_eos\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hold\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    await().atMost(BOUND).until(() -> engine.inFlight() == 1);
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("race") == Phase.Hibernating);
    assertThat(engine.inFlight()).as("the old pod still drains").isEqualTo(1);

    List<CompletableFuture<HttpResponse<String>>> racing =
        List.of(
            http.sendAsync(chat("race", false), HttpResponse.BodyHandlers.ofString()),
            http.sendAsync(chat("race", true), HttpResponse.BodyHandlers.ofString()));

    for (CompletableFuture<HttpResponse<String>> r : racing) {
      assertThat(r.get().statusCode()).as(r.get().body()).isEqualTo(200);
    }
    assertThat(engine.inFlight()).as("the old pod was still draining all along").isPositive();
    await()
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(get("race").getStatus().getHistory())
                    .as("woken again from Hibernating, not after it slept")
                    .anySatisfy(
                        t -> {
                          assertThat(t.getFrom()).isEqualTo(Phase.Hibernating);
                          assertThat(t.getTo()).isEqualTo(Phase.Waking);
                        }));
    held.get().body().close(); // the held stream's client goes: the old pod may finish
    await().atMost(BOUND).until(() -> engine.inFlight() == 0);
  }

  @Test
  void kubectlListsAndDescribesEndpointsOfTheWorld() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        io.dormouse.sim.apiserver.Kubectl.installed(),
        "kubectl is not installed on this machine: test skipped");
    io.dormouse.sim.apiserver.Kubectl kubectl =
        new io.dormouse.sim.apiserver.Kubectl(world.kubeconfig());
    java.nio.file.Path manifest =
        java.nio.file.Files.writeString(
            dir.resolve("kubectl.yaml"), endpoint("kubectl", "spot", "5m", ""));

    var applied = kubectl.run("apply", "-f", manifest.toString());
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("kubectl") == Phase.Hibernated);
    var listed = kubectl.run("get", "ie", "-n", NS);
    var described = kubectl.run("describe", "ie", "kubectl", "-n", NS);

    assertThat(applied.out()).contains("inferenceendpoint.dormouse.io/kubectl created");
    assertThat(listed.out()).contains("kubectl").contains("Hibernated");
    assertThat(described.out()).contains("Events:");
  }
}
