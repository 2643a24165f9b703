package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.gateway.auth.ApiKey;
import io.dormouse.sim.cluster.NodePool;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, section 1, in the whole simulated world: the hijack of a served name, replayed step by
 * step, fails at every step; and two namespaces serving one name share it by qualified names.
 */
class TenancyEndToEndTest {

  private static final Duration BOUND = Duration.ofSeconds(120);
  private static final String MODEL = "llama3-8b";

  @TempDir static Path dir;
  static SimWorld world;
  static ApiKey search;
  static ApiKey other;
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    world =
        SimWorld.start(
            new SimWorld.Settings()
                .workDir(dir)
                .namespaces(List.of("ml-serving", "aaa", "team-one", "team-two"))
                .preStopDelay(Duration.ofSeconds(1))
                .pool("spot", new NodePool(2, 8)));
    world.apply(
        """
        apiVersion: dormouse.io/v1alpha1
        kind: GpuTier
        metadata:
          name: spot
        spec:
          capacityType: spot
          nodeSelector: {sim.dormouse.io/capacity: spot}
        """);
    search = world.mintKey("search");
    other = world.mintKey("other");
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  static String endpoint(String ns, String name, String served, String model, String projects) {
    return """
        apiVersion: dormouse.io/v1alpha1
        kind: InferenceEndpoint
        metadata:
          name: %s
          namespace: %s
        spec:
          model:
            name: %s
            servedName: %s
          engine:
            env:
              - {name: DORMOUSE_SIM_STARTUP, value: 1s}
          tiers: [spot]
          scaling:
            idleTimeout: 10m
            wakeTimeout: 90s
          access:
            projects: [%s]
        """
        .formatted(name, ns, model, served, projects);
  }

  @Test
  void theHijackOfAServedNameFailsAtEveryStep() throws Exception {
    // Before: ml-serving/llama3-8b is Ready and answers project search.
    world.apply(
        endpoint("ml-serving", MODEL, MODEL, "meta-llama/Meta-Llama-3-8B-Instruct", "search"));
    assertThat(served(search, MODEL)).isEqualTo("ml-serving");
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("ml-serving", MODEL) == Phase.Ready);

    // Step 1: another team claims the name in a namespace that sorts first, for project other.
    world.apply(endpoint("aaa", MODEL, MODEL, "evil/llama-lookalike", "other"));
    await("aaa is told the name is taken, without naming the owner's namespace")
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              Condition ready = condition("aaa", MODEL, "Ready");
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("ServedNameConflict");
              assertThat(ready.getMessage()).doesNotContain("ml-serving");
            });
    for (int i = 0; i < 3; i++) {
      assertThat(served(search, MODEL))
          .as("search still reaches its own model")
          .isEqualTo("ml-serving");
    }
    assertThat(phase("ml-serving", MODEL)).isEqualTo(Phase.Ready);
    assertThat(condition("ml-serving", MODEL, "ServedNameOwned").getStatus()).isEqualTo("True");
    assertThat(chat(other, MODEL).statusCode())
        .as("other may not use the owner, and the bare name is not aaa's")
        .isEqualTo(404);

    // Step 2: the other team lets search in.
    world
        .client()
        .resources(InferenceEndpoint.class)
        .inNamespace("aaa")
        .withName(MODEL)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"access\":{\"projects\":[\"other\",\"search\"]}}}");
    await().ignoreExceptions().atMost(BOUND).until(() -> models(search).contains("aaa/" + MODEL));
    for (int i = 0; i < 3; i++) {
      assertThat(served(search, MODEL))
          .as("search's prompts never reach aaa by the bare name")
          .isEqualTo("ml-serving");
    }
    assertThat(condition("aaa", MODEL, "Ready").getReason()).isEqualTo("ServedNameConflict");
    assertThat(warnings("aaa", MODEL)).containsOnlyOnce("ServedNameConflict");
    assertThat(gatewayRequests("aaa", "search"))
        .as("aaa got no request of search's by the bare name")
        .isZero();
    assertThat(operatorMetric("dormouse_endpoint_served_name_conflict", "aaa", MODEL))
        .isEqualTo(1.0);

    // And once the platform team declares aaa's projects, even the qualified name is closed to
    // search: aaa may not serve it.
    world
        .client()
        .namespaces()
        .withName("aaa")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\""
                + Wiring.ANNOTATION_ALLOWED_PROJECTS
                + "\":\"other\"}}}");
    await()
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(models(search)).containsExactly(MODEL);
              assertThat(condition("aaa", MODEL, "ProjectsAllowed").getReason())
                  .isEqualTo("ProjectsRefused");
            });
    assertThat(chat(search, "aaa/" + MODEL).statusCode()).isEqualTo(404);
    assertThat(served(other, "aaa/" + MODEL)).isEqualTo("aaa");
  }

  @Test
  void twoNamespacesServingOneNameTheFirstOwnsItAndBothAreReachableQualified() throws Exception {
    world.apply(endpoint("team-one", "llama", "llama", "meta-llama/Llama-3.1-8B", "search"));
    await().ignoreExceptions().atMost(BOUND).until(() -> phase("team-one", "llama") != null);
    afterTheCreationSecondOf("team-one", "llama");
    world.apply(endpoint("team-two", "llama", "llama", "meta-llama/Llama-3.1-8B", "search"));

    await("the second says in its status that the name is taken")
        .ignoreExceptions()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              Condition owned = condition("team-two", "llama", "ServedNameOwned");
              assertThat(owned.getStatus()).isEqualTo("False");
              assertThat(owned.getReason()).isEqualTo("ServedNameConflict");
              assertThat(owned.getMessage()).contains("\"team-two/llama\"");
              assertThat(condition("team-one", "llama", "ServedNameOwned").getStatus())
                  .isEqualTo("True");
            });
    assertThat(models(search)).contains("llama", "team-two/llama");

    assertThat(served(search, "llama")).isEqualTo("team-one");
    assertThat(served(search, "team-one/llama")).isEqualTo("team-one");
    assertThat(served(search, "team-two/llama")).isEqualTo("team-two");
  }

  // --- helpers ---

  private static HttpResponse<String> chat(ApiKey key, String model) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(world.gatewayUrl() + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + key.secret())
            .header("Content-Type", "application/json")
            .timeout(BOUND)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\""
                        + model
                        + "\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a chat and says which namespace's endpoint answered it, by the gateway's metric. */
  private static String served(ApiKey key, String model) throws Exception {
    List<String> namespaces = List.of("ml-serving", "aaa", "team-one", "team-two");
    double[] before = new double[namespaces.size()];
    for (int i = 0; i < before.length; i++) {
      before[i] = gatewayRequests(namespaces.get(i), null);
    }
    HttpResponse<String> r = chat(key, model);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String answered = null;
    for (int i = 0; i < before.length; i++) {
      if (gatewayRequests(namespaces.get(i), null) > before[i]) {
        assertThat(answered).as("one endpoint answered").isNull();
        answered = namespaces.get(i);
      }
    }
    return answered;
  }

  /** Requests answered 200 by endpoints of a namespace, for one project or all. */
  private static double gatewayRequests(String namespace, String project) throws Exception {
    return metrics(world.gatewayManagementUrl()).stream()
        .filter(l -> l.startsWith("dormouse_gateway_requests_total{"))
        .filter(l -> l.contains("namespace=\"" + namespace + "\"") && l.contains("code=\"200\""))
        .filter(l -> project == null || l.contains("project=\"" + project + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static double operatorMetric(String name, String namespace, String endpoint)
      throws Exception {
    return metrics(world.operatorManagementUrl()).stream()
        .filter(l -> l.startsWith(name + "{"))
        .filter(
            l ->
                l.contains("namespace=\"" + namespace + "\"")
                    && l.contains("endpoint=\"" + endpoint + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static List<String> metrics(String base) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body()
        .lines()
        .toList();
  }

  private static List<String> models(ApiKey key) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create(world.gatewayUrl() + "/v1/models"))
                    .header("Authorization", "Bearer " + key.secret())
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    JsonArray data = new JsonObject(body).getJsonArray("data");
    return data.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static InferenceEndpoint get(String ns, String name) {
    return world.client().resources(InferenceEndpoint.class).inNamespace(ns).withName(name).get();
  }

  private static Phase phase(String ns, String name) {
    InferenceEndpoint ie = get(ns, name);
    return ie == null || ie.getStatus() == null ? null : ie.getStatus().getPhase();
  }

  private static Condition condition(String ns, String name, String type) {
    return get(ns, name).getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> warnings(String ns, String name) {
    return world.client().v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> "Warning".equals(e.getType()))
        .map(e -> e.getReason())
        .toList();
  }

  /** Creation times have whole seconds: a claim made after this one's second is the younger. */
  private static void afterTheCreationSecondOf(String ns, String name) {
    Instant created = Instant.parse(get(ns, name).getMetadata().getCreationTimestamp());
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Instant.now().isAfter(created.plusSeconds(1)));
  }
}
