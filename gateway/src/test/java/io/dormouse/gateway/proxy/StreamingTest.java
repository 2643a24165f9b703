package io.dormouse.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.testing.GatewayWorld;
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
      String body, List<String> arrivals, CompletableFuture<Void> ended) {
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
              response.handler(b -> arrivals.add(b.toString()));
              response.endHandler(v -> ended.complete(null));
              response.exceptionHandler(ended::completeExceptionally);
              head.complete(response);
            })
        .onFailure(head::completeExceptionally);
    return head;
  }

  @Test
  void chunksReachTheClientWithTheEnginesPacing() throws Exception {
    world.engine.chunks = 5;
    world.engine.chunkGapMillis = 250;
    List<String> arrivals = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    HttpClientResponse head =
        send(GatewayWorld.chat("pace", true), arrivals, ended).get(30, TimeUnit.SECONDS);
    ended.get(60, TimeUnit.SECONDS);
    world.engine.chunkGapMillis = 0;
    world.engine.chunks = 3;
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.getHeader("x-ratelimit-limit-tokens")).isNotNull();
    List<String> content = arrivals.stream().filter(a -> a.contains("\"content\"")).toList();
    assertThat(content).hasSize(5); // five chunks, five separate arrivals: nothing coalesced
    assertThat(content).allMatch(a -> a.split("\n\n").length == 1);
    assertThat(String.join("", arrivals)).doesNotContain("\"usage\"").endsWith("data: [DONE]\n\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> tokens("pace", "completion") == 5);
    assertThat(tokens("pace", "prompt")).isEqualTo(5);
    assertThat(
            world
                .engine
                .bodies
                .get(world.engine.bodies.size() - 1)
                .getJsonObject("stream_options")
                .getBoolean("include_usage"))
        .isTrue();
  }

  @Test
  void aClientThatAsksForUsageGetsTheUsageChunk() throws Exception {
    var r =
        world.post(
            "/v1/chat/completions",
            key,
            "{\"model\":\"asks\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}");
    assertThat(r.body()).contains("\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3");
  }

  @Test
  void aClientThatDisconnectsMidStreamAbortsTheEngineAndIsBilledForWhatItGot() throws Exception {
    world.engine.chunks = 20;
    world.engine.chunkGapMillis = 150;
    int abortedBefore = world.engine.aborted.get();
    List<String> arrivals = new CopyOnWriteArrayList<>();
    HttpClientResponse head =
        send(GatewayWorld.chat("cut", true), arrivals, new CompletableFuture<>())
            .get(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(20)).until(() -> arrivals.size() >= 2);
    head.request().connection().close();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> world.engine.aborted.get() == abortedBefore + 1);
    world.engine.chunkGapMillis = 0;
    world.engine.chunks = 3;
    await().atMost(Duration.ofSeconds(10)).until(() -> tokens("cut", "completion") >= 2);
    assertThat(tokens("cut", "completion")).isLessThan(20);
    assertThat(tokens("cut", "prompt")).isPositive();
  }

  @Test
  void anEngineThatFailsMidStreamEndsTheStreamWithAnErrorEventAndIsStillBilled() throws Exception {
    world.engine.chunks = 6;
    world.engine.breakAfterChunks = 2;
    try {
      var r = world.post("/v1/chat/completions", key, GatewayWorld.chat("fail", true));
      assertThat(r.statusCode()).isEqualTo(200);
      String[] events = r.body().split("\n\n");
      assertThat(events).hasSize(3);
      JsonObject error = new JsonObject(events[2].substring("data: ".length()));
      assertThat(error.getJsonObject("error").getString("code")).isEqualTo("upstream_error");
    } finally {
      world.engine.breakAfterChunks = -1;
      world.engine.chunks = 3;
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> tokens("fail", "completion") == 2);
  }

  @Test
  void aJsonResponseIsPassedThroughAndItsUsageRecorded() throws Exception {
    var r = world.post("/v1/chat/completions", key, GatewayWorld.chat("plain", false));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getJsonObject("usage").getInteger("completion_tokens"))
        .isEqualTo(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> tokens("plain", "completion") == 3);
    assertThat(world.engine.authorizations).allMatch("null"::equals); // keys stay at the gateway
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
