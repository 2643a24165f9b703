package io.dormouse.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.testing.GatewayWorld;
import io.dormouse.sim.engine.EngineFault;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streams go through chunk by chunk, and every stream is billed, however it ends. */
class StreamingTest {

  static GatewayWorld world;
  static String key;
  static Vertx vertx;
  static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    world = GatewayWorld.start();
    key = world.key("alpha");
    world.engine("pace", e -> e.tokensPerSecond(2)); // five tokens: 2 s at the engine
    world.engine("cut", e -> e.tokensPerSecond(20.0 / 3)); // twenty tokens: 3 s
    world.engine("fail", e -> e.fault(EngineFault.CRASH).faultAfterTokens(2));
    for (String ep : List.of("pace", "cut", "fail", "plain", "asks", "ghost")) {
      world.endpoint(ep, Phase.Ready, ie -> {});
      if (!ep.equals("ghost")) {
        world.ready(ep);
      }
      world.awaitModel(key, ep, Phase.Ready);
    }
    vertx = Vertx.vertx();
    client = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() {
    vertx.close();
    world.close();
  }

  private static double tokens(String endpoint, String kind) throws Exception {
    return world.metric("dormouse_gateway_tokens_total", "endpoint=" + endpoint, "kind=" + kind);
  }

  /** Sends a request; every buffer the client receives is one arrival. */
  private static CompletableFuture<HttpClientResponse> send(
      String body, Consumer<String> arrivals, CompletableFuture<Void> ended) {
    CompletableFuture<HttpClientResponse> head = new CompletableFuture<>();
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(world.gateway.port())
                .setURI("/v1/chat/completions")
                .addHeader("Authorization", "Bearer " + key)
                .addHeader("Content-Type", "application/json"))
        .compose(req -> req.send(Buffer.buffer(body)))
        .onSuccess(
            response -> {
              response.handler(b -> arrivals.accept(b.toString()));
              response.endHandler(v -> ended.complete(null));
              response.exceptionHandler(ended::completeExceptionally);
              head.complete(response);
            })
        .onFailure(head::completeExceptionally);
    return head;
  }

  @Test
  void chunksReachTheClientWithTheEnginesPacing() throws Exception {
    GatewayWorld.Engine engine = world.engine("pace");
    List<String> arrivals = new CopyOnWriteArrayList<>();
    // whether the engine was still generating when the first token reached the client: a
    // gateway that held the stream back would deliver it only after the engine finished
    List<Boolean> engineBusyAtFirstToken = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    HttpClientResponse head =
        send(
                GatewayWorld.chat("pace", true, 5),
                arrival -> {
                  if (engineBusyAtFirstToken.isEmpty()
                      && !GatewayWorld.contents(arrival).isEmpty()) {
                    engineBusyAtFirstToken.add(engine.sim.inFlight() > 0);
                  }
                  arrivals.add(arrival);
                },
                ended)
            .get(30, TimeUnit.SECONDS);
    ended.get(60, TimeUnit.SECONDS);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.getHeader("x-ratelimit-limit-tokens")).isNotNull();
    assertThat(engineBusyAtFirstToken).containsExactly(true);
    assertThat(arrivals).allMatch(a -> a.endsWith("\n\n")); // whole events, never half of one
    String body = String.join("", arrivals);
    assertThat(GatewayWorld.contents(body)).hasSize(5);
    assertThat(body).doesNotContain("\"usage\"").endsWith("data: [DONE]\n\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> tokens("pace", "completion") == 5);
    assertThat(tokens("pace", "prompt")).isEqualTo(engine.lastPromptTokens());
    assertThat(engine.received())
        .last()
        .satisfies(
            r ->
                assertThat(r.body().getJsonObject("stream_options").getBoolean("include_usage"))
                    .isTrue());
  }

  @Test
  void aClientThatAsksForUsageGetsTheUsageChunk() throws Exception {
    var r =
        world.post(
            "/v1/chat/completions",
            key,
            "{\"model\":\"asks\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"max_tokens\":3,\"ignore_eos\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(r.body())
        .contains(
            "\"usage\":{\"prompt_tokens\":"
                + world.engine("asks").lastPromptTokens()
                + ",\"total_tokens\":")
        .contains("\"completion_tokens\":3");
  }

  @Test
  void aClientThatDisconnectsMidStreamAbortsTheEngineAndIsBilledForWhatItGot() throws Exception {
    GatewayWorld.Engine engine = world.engine("cut");
    List<String> arrivals = new CopyOnWriteArrayList<>();
    HttpClientResponse head =
        send(GatewayWorld.chat("cut", true, 20), arrivals::add, new CompletableFuture<>())
            .get(30, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> GatewayWorld.contents(String.join("", arrivals)).size() >= 2);
    head.request().connection().close();
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.sim.abandoned() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> tokens("cut", "completion") >= 2);
    assertThat(tokens("cut", "completion")).isLessThan(20);
    assertThat(tokens("cut", "prompt")).isEqualTo(engine.lastPromptTokens());
  }

  @Test
  void anEngineThatFailsMidStreamEndsTheStreamWithAnErrorEventAndIsStillBilled() throws Exception {
    var r = world.post("/v1/chat/completions", key, GatewayWorld.chat("fail", true, 6));
    assertThat(r.statusCode()).isEqualTo(200);
    String[] events = r.body().split("\n\n");
    assertThat(events).hasSize(4); // the role chunk, two tokens, the error
    assertThat(GatewayWorld.contents(r.body())).hasSize(2);
    JsonObject error = new JsonObject(events[3].substring("data: ".length()));
    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("upstream_error");
    await().atMost(Duration.ofSeconds(10)).until(() -> tokens("fail", "completion") == 2);
  }

  @Test
  void aJsonResponseIsPassedThroughAndItsUsageRecorded() throws Exception {
    var r = world.post("/v1/chat/completions", key, GatewayWorld.chat("plain", false));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject usage = new JsonObject(r.body()).getJsonObject("usage");
    assertThat(usage.getInteger("completion_tokens")).isEqualTo(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> tokens("plain", "completion") == 3);
    assertThat(tokens("plain", "prompt"))
        .isEqualTo(usage.getInteger("prompt_tokens").doubleValue());
    assertThat(world.engine("plain").received())
        .isNotEmpty()
        .allSatisfy(
            request ->
                assertThat(request.headers().contains("Authorization"))
                    .as("keys stay at the gateway")
                    .isFalse());
  }

  @Test
  void anUnreachableEngineIsACleanOpenAiError() throws Exception {
    EndpointSlice slice = world.slice("ghost", true);
    slice.getPorts().get(0).setPort(1);
    world.client.resource(slice).createOr(s -> s.update());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                world
                        .post("/v1/chat/completions", key, GatewayWorld.chat("ghost", false))
                        .statusCode()
                    == 502);
    var r = world.post("/v1/chat/completions", key, GatewayWorld.chat("ghost", false));
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code"))
        .isEqualTo("upstream_error");
  }
}
