package io.dormouse.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.gateway.testing.GatewayWorld;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway's side of tenancy, over HTTP: the hijack of a served name, qualified names,
 * and projects a namespace declares.
 */
class TenancyHttpTest {

  private static final String MODEL = "llama3-8b";

  @Test
  void aLaterClaimantOfAServedNameNeverGetsItsTrafficWhateverItsNamespaceOrAccess()
      throws Exception {
    try (GatewayWorld world = GatewayWorld.start()) {
      String search = world.key("search");
      String other = world.key("other");
      world.endpointIn("ml-serving", MODEL, Phase.Ready, ie -> {}, "search");
      world.readyIn("ml-serving", MODEL);
      world.awaitModel(search, MODEL, Phase.Ready);
      afterTheCreationSecondOf(world, "ml-serving", MODEL);

      // The hijacker sorts first by namespace and is newer.
      world.endpointIn("aaa", MODEL, Phase.Ready, ie -> {}, "other");
      world.readyIn("aaa", MODEL);
      world.awaitModel(other, "aaa/" + MODEL, Phase.Ready);

      assertThat(served(world, search, MODEL)).isEqualTo("ml-serving");
      HttpResponse<String> notYours = chat(world, other, MODEL);
      assertThat(notYours.statusCode()).isEqualTo(404);
      assertThat(served(world, other, "aaa/" + MODEL)).isEqualTo("aaa");

      // Step two of the issue: the hijacker lets search in.
      world.endpointIn("aaa", MODEL, Phase.Ready, ie -> {}, "other", "search");
      world.awaitModel(search, "aaa/" + MODEL, Phase.Ready);

      for (int i = 0; i < 5; i++) {
        assertThat(served(world, search, MODEL)).isEqualTo("ml-serving");
      }
      assertThat(served(world, search, "ml-serving/" + MODEL)).isEqualTo("ml-serving");
      assertThat(served(world, search, "aaa/" + MODEL)).isEqualTo("aaa");
      assertThat(modelIds(world, search)).containsExactly("aaa/" + MODEL, MODEL);
      assertThat(modelIds(world, other)).containsExactly("aaa/" + MODEL);

      // The owner goes: the next claimant owns the name.
      world
          .client
          .resources(InferenceEndpoint.class)
          .inNamespace("ml-serving")
          .withName(MODEL)
          .delete();
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> modelIds(world, other).equals(List.of(MODEL)));
      assertThat(served(world, search, MODEL)).isEqualTo("aaa");
    }
  }

  @Test
  void aNamespacesDeclaredProjectsNarrowItsEndpointsAccessLists() throws Exception {
    try (GatewayWorld world = GatewayWorld.start()) {
      String search = world.key("search");
      String other = world.key("other");
      namespace(world, "aaa", "other");
      world.endpointIn("aaa", "open", Phase.Ready, ie -> {});
      world.endpointIn("aaa", "listed", Phase.Ready, ie -> {}, "search", "other");
      world.readyIn("aaa", "open");
      world.readyIn("aaa", "listed");
      world.awaitModel(other, "listed", Phase.Ready);

      assertThat(modelIds(world, other)).containsExactly("listed");
      assertThat(chat(world, search, "listed").statusCode()).isEqualTo(404);
      assertThat(chat(world, search, "open").statusCode()).as("public refused").isEqualTo(404);
      assertThat(chat(world, other, "open").statusCode()).isEqualTo(404);
      assertThat(served(world, other, "listed")).isEqualTo("aaa");

      namespace(world, "aaa", "other,search");
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> modelIds(world, search).equals(List.of("listed")));
      assertThat(served(world, search, "listed")).isEqualTo("aaa");
    }
  }

  @Test
  void whenNamespacesMustDeclareTheirProjectsAnUndeclaredOneServesNoOne() throws Exception {
    try (GatewayWorld world = GatewayWorld.start(b -> b.requireDeclaredProjects(true))) {
      String search = world.key("search");
      world.endpointIn("quiet", "silent", Phase.Ready, ie -> {}, "search");
      world.readyIn("quiet", "silent");
      world.endpointIn("declared", "chat", Phase.Ready, ie -> {}, "search");
      world.readyIn("declared", "chat");
      namespace(world, "declared", "search");
      world.awaitModel(search, "chat", Phase.Ready);

      assertThat(modelIds(world, search)).containsExactly("chat");
      assertThat(chat(world, search, "silent").statusCode()).isEqualTo(404);

      namespace(world, "quiet", "search");
      world.awaitModel(search, "silent", Phase.Ready);
      assertThat(served(world, search, "silent")).isEqualTo("quiet");
    }
  }

  @Test
  void aModelNotFoundNamesTheListOfModelsInOpenAisShape() throws Exception {
    try (GatewayWorld world = GatewayWorld.start()) {
      String key = world.key("search");
      HttpResponse<String> r = chat(world, key, "meta-llama/Meta-Llama-3-8B-Instruct");

      assertThat(r.statusCode()).isEqualTo(404);
      JsonObject error = new JsonObject(r.body()).getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("model_not_found");
      assertThat(error.getString("type")).isEqualTo("invalid_request_error");
      assertThat(error.getString("param")).isEqualTo("model");
      assertThat(error.getString("message"))
          .contains("`meta-llama/Meta-Llama-3-8B-Instruct`")
          .contains("GET /v1/models");
    }
  }

  private static HttpResponse<String> chat(GatewayWorld world, String key, String model)
      throws Exception {
    return world.post("/v1/chat/completions", key, GatewayWorld.chat(model, false));
  }

  /** Sends a chat and says which namespace's endpoint answered it, by the request metric. */
  private static String served(GatewayWorld world, String key, String model) throws Exception {
    Map<String, Double> before = servedCounts(world);
    HttpResponse<String> r = chat(world, key, model);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<String, Double> after = servedCounts(world);
    List<String> grew =
        after.keySet().stream().filter(ns -> after.get(ns) > before.getOrDefault(ns, 0.0)).toList();
    assertThat(grew).hasSize(1);
    return grew.get(0);
  }

  private static Map<String, Double> servedCounts(GatewayWorld world) throws Exception {
    Map<String, Double> counts = new java.util.HashMap<>();
    for (String ns : List.of("ml-serving", "aaa", "quiet", "declared", GatewayWorld.NS)) {
      // a namespace that has served nothing yet has no sample: that is a count of zero here
      counts.put(
          ns,
          world.samples("dormouse_gateway_requests_total", "namespace=" + ns, "code=200").stream()
              .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
              .sum());
    }
    return counts;
  }

  private static List<String> modelIds(GatewayWorld world, String key) throws Exception {
    JsonArray data = new JsonObject(world.get("/v1/models", key).body()).getJsonArray("data");
    return data.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static void namespace(GatewayWorld world, String name, String allowedProjects) {
    world
        .client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withAnnotations(Map.of(Wiring.ANNOTATION_ALLOWED_PROJECTS, allowedProjects))
                .endMetadata()
                .build())
        .createOr(r -> r.update());
  }

  /** Creation times have whole seconds: a claim made after this one's second is the younger. */
  private static void afterTheCreationSecondOf(GatewayWorld world, String ns, String name) {
    Instant created =
        Instant.parse(
            world
                .client
                .resources(InferenceEndpoint.class)
                .inNamespace(ns)
                .withName(name)
                .get()
                .getMetadata()
                .getCreationTimestamp());
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Instant.now().isAfter(created.plusSeconds(1)));
  }
}
