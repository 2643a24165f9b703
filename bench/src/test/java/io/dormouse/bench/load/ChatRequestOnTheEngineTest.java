package io.dormouse.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.bench.BenchPlan;
import io.dormouse.sim.engine.EngineConfig;
import io.dormouse.sim.engine.EngineSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The benchmark's request against the engine simulator it measures: every answer is full. */
class ChatRequestOnTheEngineTest {

  private static Vertx vertx;
  private static EngineSimulator engine;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    engine =
        EngineSimulator.start(
                vertx,
                EngineConfig.builder().port(0).servedModelNames(List.of("bench", "m")).build())
            .toCompletionStage()
            .toCompletableFuture()
            .join();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> engine.state() == EngineSimulator.State.READY);
  }

  @AfterAll
  static void stop() {
    engine.close().toCompletionStage().toCompletableFuture().join();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private HttpResponse<String> send(ChatRequest request) throws Exception {
    byte[] body = request.json().getBytes(StandardCharsets.UTF_8);
    assertThat(body).hasSize(request.bytes());
    return http.send(
        HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/v1/chat/completions"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest(name = "{0}, {1} bytes")
  @CsvSource({"bench, 1024", "m, 1024", "bench, 4096"})
  void aPlainAnswerCarriesTheAskedTokens(String model, int bytes) throws Exception {
    HttpResponse<String> response =
        send(new ChatRequest(model, bytes, false, BenchPlan.STREAM_TOKENS, true));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getJsonObject("usage").getInteger("completion_tokens"))
        .isEqualTo(BenchPlan.STREAM_TOKENS);
    assertThat(body.getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("length");
  }

  @ParameterizedTest(name = "{0}, {1} bytes")
  @CsvSource({"bench, 1024", "m, 1024", "bench, 4096"})
  void aStreamCarriesOneChunkPerAskedToken(String model, int bytes) throws Exception {
    HttpResponse<String> response =
        send(new ChatRequest(model, bytes, true, BenchPlan.STREAM_TOKENS, true));

    assertThat(response.statusCode()).isEqualTo(200);
    List<String> data =
        response
            .body()
            .lines()
            .filter(l -> l.startsWith("data: "))
            .map(l -> l.substring(6))
            .toList();
    assertThat(data).last().isEqualTo("[DONE]");
    List<JsonObject> chunks =
        data.subList(0, data.size() - 1).stream().map(JsonObject::new).toList();
    long tokenChunks =
        chunks.stream()
            .filter(c -> !c.getJsonArray("choices").isEmpty())
            .map(c -> c.getJsonArray("choices").getJsonObject(0).getJsonObject("delta"))
            .filter(d -> !d.containsKey("role"))
            .count();
    assertThat(tokenChunks).isEqualTo(BenchPlan.STREAM_TOKENS);
    assertThat(chunks.get(chunks.size() - 1).getJsonObject("usage").getInteger("completion_tokens"))
        .isEqualTo(BenchPlan.STREAM_TOKENS);
    // What the load generator reports per response: the tokens plus role, usage and [DONE].
    SseEventCounter counter = new SseEventCounter();
    counter.accept(response.body().getBytes(StandardCharsets.UTF_8));
    assertThat(counter.events()).isEqualTo(BenchPlan.STREAM_TOKENS + 3);
  }
}
