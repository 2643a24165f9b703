package io.dormouse.gateway.testing;

import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.gateway.GatewayApp;
import io.dormouse.gateway.GatewaySettings;
import io.dormouse.gateway.auth.ApiKey;
import io.dormouse.gateway.auth.ApiKeys;
import io.dormouse.gateway.auth.KeySecrets;
import io.dormouse.sim.engine.EngineConfig;
import io.dormouse.sim.engine.EngineSimulator;
import io.dormouse.sim.engine.GenerateRequest;
import io.dormouse.sim.engine.Generation;
import io.dormouse.sim.engine.ReceivedRequest;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A gateway against the Fabric8 mock API server (CRUD mode) and the engine simulator, one engine
 * per endpoint as in a cluster (it serves the endpoint's name, as the operator's {@code
 * --served-model-name} makes vLLM do): what the acceptance tests drive.
 */
public final class GatewayWorld implements AutoCloseable {

  public static final String GATEWAY_NS = "dormouse-system";
  public static final String NS = "team-a";
  public static final String TIER = "gpu-a";

  public final LeaseWriteCounter dispatcher = new LeaseWriteCounter();
  public final KubernetesMockServer api;
  public final KubernetesClient client;
  private final Vertx engineVertx = Vertx.vertx();
  private final Map<String, Engine> engines = new ConcurrentHashMap<>();
  public final GatewayApp gateway;
  public final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private GatewayWorld(Consumer<GatewaySettings.Builder> tweak) throws Exception {
    api =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    api.init();
    api.expectCustomResource(
        CustomResourceDefinitionContext.fromCustomResourceType(InferenceEndpoint.class));
    client = api.createClient();
    GatewaySettings.Builder settings =
        GatewaySettings.builder()
            .namespace(GATEWAY_NS)
            .host("127.0.0.1")
            .port(0)
            .managementPort(0)
            .podName("gateway-test")
            .client(client)
            .shutdownGrace(Duration.ofSeconds(5));
    tweak.accept(settings);
    gateway = GatewayApp.start(settings.build());
  }

  public static GatewayWorld start() throws Exception {
    return new GatewayWorld(b -> {});
  }

  public static GatewayWorld start(Consumer<GatewaySettings.Builder> tweak) throws Exception {
    return new GatewayWorld(tweak);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + gateway.port();
  }

  /** Mints a key for a project, stores its Secret, and waits until the gateway accepts it. */
  public String key(String project) {
    ApiKey key = ApiKeys.mint();
    client.resource(KeySecrets.secretFor(key, project, GATEWAY_NS)).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> get("/v1/models", key.secret()).statusCode() == 200);
    return key.secret();
  }

  /** Creates (or replaces) an endpoint serving {@code name}, public unless projects are given. */
  public InferenceEndpoint endpoint(
      String name, Phase phase, Consumer<InferenceEndpoint> edit, String... projects) {
    return endpointIn(NS, name, phase, edit, projects);
  }

  /** {@link #endpoint} in another namespace. */
  public InferenceEndpoint endpointIn(
      String namespace,
      String name,
      Phase phase,
      Consumer<InferenceEndpoint> edit,
      String... projects) {
    InferenceEndpoint ie = new InferenceEndpoint();
    ie.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    ie.getSpec().getModel().setName("org/" + name);
    ie.getSpec().setTiers(List.of(TIER));
    if (projects.length == 0) {
      ie.getSpec().getAccess().setPublic(true);
    } else {
      ie.getSpec().getAccess().setProjects(List.of(projects));
    }
    InferenceEndpointStatus status = new InferenceEndpointStatus();
    status.setPhase(phase);
    ie.setStatus(status);
    edit.accept(ie);
    return client.resource(ie).createOr(r -> r.update());
  }

  /** Sets an endpoint's phase and message as the operator would. */
  public void phase(String name, Phase phase, String message) {
    InferenceEndpoint ie =
        client.resources(InferenceEndpoint.class).inNamespace(NS).withName(name).get();
    ie.getStatus().setPhase(phase);
    ie.getStatus().setMessage(message);
    client.resource(ie).update();
  }

  /** Waits until the gateway lists the model with this phase for the key. */
  public void awaitModel(String key, String model, Phase phase) {
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () -> {
              String body = get("/v1/models", key).body();
              return body.contains("\"id\":\"" + model + "\"")
                  && body.contains("\"phase\":\"" + phase + "\"");
            });
  }

  /** One endpoint's engine simulator, and every request that reached it. */
  public static final class Engine {
    public final EngineSimulator sim;
    private final List<ReceivedRequest> received = new CopyOnWriteArrayList<>();

    private Engine(EngineSimulator sim) {
      this.sim = sim;
      sim.onRequest(received::add);
    }

    public int port() {
      return sim.port();
    }

    /** Requests that reached the engine, in arrival order. */
    public List<ReceivedRequest> received() {
      return List.copyOf(received);
    }

    public int requests() {
      return received.size();
    }

    /** The prompt tokens the engine counts for the request it received last. */
    public int lastPromptTokens() {
      ReceivedRequest last = received.get(received.size() - 1);
      GenerateRequest.Kind kind =
          last.path().endsWith("/chat/completions")
              ? GenerateRequest.Kind.CHAT
              : GenerateRequest.Kind.COMPLETION;
      return Generation.countTokens(GenerateRequest.parse(kind, last.body()).prompt());
    }
  }

  /**
   * The engine that serves {@code endpoint}, started (fast, healthy, ready) when it has none yet.
   */
  public Engine engine(String endpoint) {
    return engines.computeIfAbsent(endpoint, e -> startEngine(e, b -> {}));
  }

  /**
   * Starts the engine that serves {@code endpoint} with settings of its own (a pace, a fault); call
   * it before anything else starts that endpoint's engine.
   */
  public Engine engine(String endpoint, Consumer<EngineConfig.Builder> tweak) {
    Engine engine = startEngine(endpoint, tweak);
    if (engines.putIfAbsent(endpoint, engine) != null) {
      engine.sim.close();
      throw new IllegalStateException("endpoint " + endpoint + " already has an engine");
    }
    return engine;
  }

  private Engine startEngine(String endpoint, Consumer<EngineConfig.Builder> tweak) {
    EngineConfig.Builder config =
        EngineConfig.builder()
            .name(endpoint)
            .host("127.0.0.1")
            .model("org/" + endpoint)
            .servedModelNames(List.of(endpoint));
    tweak.accept(config);
    try {
      EngineSimulator sim =
          EngineSimulator.start(engineVertx, config.port(0).build())
              .toCompletionStage()
              .toCompletableFuture()
              .get(20, TimeUnit.SECONDS);
      return new Engine(sim);
    } catch (Exception e) {
      throw new IllegalStateException("engine for " + endpoint + " did not start", e);
    }
  }

  /**
   * Publishes the endpoint's engine as a ready endpoint of (endpoint, tier)'s Service once it is
   * ready, as its readiness probe would.
   */
  public void ready(String endpoint) {
    readyIn(NS, endpoint);
  }

  /** {@link #ready} in another namespace. */
  public void readyIn(String namespace, String endpoint) {
    Engine engine = engine(endpoint);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> engine.sim.state() == EngineSimulator.State.READY);
    EndpointSlice slice = slice(endpoint, true);
    slice.getMetadata().setNamespace(namespace);
    client.resource(slice).createOr(r -> r.update());
  }

  public void notReady(String endpoint) {
    client.resource(slice(endpoint, false)).createOr(r -> r.update());
  }

  public EndpointSlice slice(String endpoint, boolean ready) {
    String service = Wiring.engineName(endpoint, TIER);
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(service + "-x1")
        .withNamespace(NS)
        .addToLabels("kubernetes.io/service-name", service)
        .addToLabels(Wiring.LABEL_ENDPOINT, endpoint)
        .addToLabels(Wiring.LABEL_TIER, TIER)
        .endMetadata()
        .withAddressType("IPv4")
        .addNewPort()
        .withName("http")
        .withPort(engine(endpoint).port())
        .withProtocol("TCP")
        .endPort()
        .addNewEndpoint()
        .withAddresses("127.0.0.1")
        .withNewConditions()
        .withReady(ready)
        .withServing(ready)
        .withTerminating(false)
        .endConditions()
        .endEndpoint()
        .build();
  }

  public Lease lease(String endpoint) {
    return client
        .resources(Lease.class)
        .inNamespace(NS)
        .withName(Wiring.activityLeaseName(endpoint))
        .get();
  }

  public HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path, String key, String json) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A chat request the engine answers with exactly three tokens. */
  public static String chat(String model, boolean stream) {
    return chat(model, stream, 3);
  }

  /** A chat request the engine answers with exactly {@code tokens} tokens ({@code ignore_eos}). */
  public static String chat(String model, boolean stream, int tokens) {
    return "{\"model\":\""
        + model
        + "\",\"stream\":"
        + stream
        + ",\"max_tokens\":"
        + tokens
        + ",\"ignore_eos\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
  }

  /** The text pieces of an SSE chat stream's chunks that carry generated content, in order. */
  public static List<String> contents(String sse) {
    List<String> out = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (!line.startsWith("data: {")) {
        continue;
      }
      JsonArray choices = new JsonObject(line.substring(6)).getJsonArray("choices");
      if (choices == null || choices.isEmpty()) {
        continue;
      }
      JsonObject delta = choices.getJsonObject(0).getJsonObject("delta");
      String content = delta == null ? null : delta.getString("content");
      if (content != null && !content.isEmpty()) {
        out.add(content);
      }
    }
    return out;
  }

  /**
   * The sum of a metric's samples whose labels include every given {@code key=value}. Fails when no
   * sample matches, so a renamed metric or label cannot pass for a zero.
   */
  public double metric(String name, String... labels) throws Exception {
    List<String> samples = samples(name, labels);
    if (samples.isEmpty()) {
      throw new AssertionError(
          "no sample of " + name + " with labels " + List.of(labels) + " on /metrics");
    }
    double sum = 0;
    for (String line : samples) {
      sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return sum;
  }

  /** The sample lines of a metric whose labels include every given {@code key=value}. */
  public List<String> samples(String name, String... labels) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.managementPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        String[] kv = label.split("=", 2);
        all &= line.contains(kv[0] + "=\"" + kv[1] + "\"");
      }
      if (all) {
        out.add(line);
      }
    }
    return out;
  }

  @Override
  public void close() {
    try {
      gateway.close();
    } finally {
      engineVertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .orTimeout(10, TimeUnit.SECONDS)
          .exceptionally(e -> null)
          .join();
      client.close();
      api.destroy();
    }
  }
}
