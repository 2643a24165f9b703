package io.dormouse.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineSimulatorTest {

  private static final Duration BOUND = Duration.ofSeconds(20);
  private static Vertx vertx;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<EngineSimulator> engines = new ArrayList<>();

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @AfterEach
  void closeEngines() {
    engines.forEach(e -> e.close().toCompletionStage().toCompletableFuture().join());
  }

  private EngineSimulator start(EngineConfig.Builder config) {
    EngineSimulator engine =
        EngineSimulator.start(vertx, config.port(0).servedModelNames(List.of("llama")).build())
            .toCompletionStage()
            .toCompletableFuture()
            .join();
    engines.add(engine);
    return engine;
  }

  private EngineSimulator ready(EngineConfig.Builder config) {
    EngineSimulator engine = start(config);
    await().atMost(BOUND).until(() -> engine.state() == EngineSimulator.State.READY);
    return engine;
  }

  private HttpResponse<String> get(EngineSimulator engine, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(engine.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest post(EngineSimulator engine, String path, JsonObject body) {
    return HttpRequest.newBuilder(URI.create(engine.baseUrl() + path))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
  }

  private HttpResponse<String> send(EngineSimulator engine, String path, JsonObject body)
      throws Exception {
    return http.send(post(engine, path, body), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject chat(String content) {
    return new JsonObject()
        .put("model", "llama")
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", content)));
  }

  /** The JSON payloads of an SSE body, and whether it ended with [DONE]. */
  private static List<String> events(String body) {
    return body.lines()
        .filter(l -> l.startsWith("data: "))
        .map(l -> l.substring(6))
        .collect(Collectors.toList());
  }

  @Test
  void healthAndGenerationAre503WhileTheModelLoads() throws Exception {
    // an hour's load: still loading however slow the machine
    EngineSimulator engine = start(EngineConfig.builder().startup(Duration.ofHours(1)));

    HttpResponse<String> health = get(engine, "/health");
    HttpResponse<String> chat = send(engine, "/v1/chat/completions", chat("hi"));

    assertThat(engine.state()).isEqualTo(EngineSimulator.State.LOADING);
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(chat.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(chat.body()).getJsonObject("error").getString("message"))
        .contains("not ready (loading)");
  }

  @Test
  void healthTurns200OnceTheModelHasLoaded() throws Exception {
    EngineSimulator engine = start(EngineConfig.builder().startup(Duration.ofMillis(300)));

    await().atMost(BOUND).until(() -> get(engine, "/health").statusCode() == 200);

    assertThat(engine.state()).isEqualTo(EngineSimulator.State.READY);
    assertThat(send(engine, "/v1/chat/completions", chat("hi")).statusCode()).isEqualTo(200);
  }

  @Test
  void listsItsServedModels() throws Exception {
    EngineSimulator engine = ready(EngineConfig.builder().model("org/llama-8b"));

    JsonObject models = new JsonObject(get(engine, "/v1/models").body());

    assertThat(models.getString("object")).isEqualTo("list");
    JsonObject model = models.getJsonArray("data").getJsonObject(0);
    assertThat(model.getString("id")).isEqualTo("llama");
    assertThat(model.getString("root")).isEqualTo("org/llama-8b");
    assertThat(model.getString("owned_by")).isEqualTo("vllm");
  }

  @Test
  void chatCompletionAnswersWithUsage() throws Exception {
    EngineSimulator engine = ready(EngineConfig.builder());

    HttpResponse<String> response =
        send(engine, "/v1/chat/completions", chat("Hello there").put("max_tokens", 5));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("object")).isEqualTo("chat.completion");
    assertThat(body.getString("id")).startsWith("chatcmpl-");
    assertThat(body.getString("model")).isEqualTo("llama");
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getJsonObject("message").getString("role")).isEqualTo("assistant");
    assertThat(choice.getString("finish_reason")).isEqualTo("length");
    JsonObject usage = body.getJsonObject("usage");
    assertThat(usage.getInteger("completion_tokens")).isEqualTo(5);
    assertThat(usage.getInteger("prompt_tokens")).isPositive();
    assertThat(usage.getInteger("total_tokens")).isEqualTo(usage.getInteger("prompt_tokens") + 5);
  }

  @Test
  void textCompletionAnswersWithUsage() throws Exception {
    EngineSimulator engine = ready(EngineConfig.builder());

    JsonObject body =
        new JsonObject(
            send(
                    engine,
                    "/v1/completions",
                    new JsonObject().put("model", "llama").put("prompt", "Once upon a time"))
                .body());

    assertThat(body.getString("object")).isEqualTo("text_completion");
    assertThat(body.getJsonArray("choices").getJsonObject(0).getString("text")).isNotBlank();
    assertThat(body.getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(4);
  }

  @Test
  void embeddingsAreUnitVectorsPerInput() throws Exception {
    EngineSimulator engine = ready(EngineConfig.builder());

    JsonObject body =
        new JsonObject(
            send(
                    engine,
                    "/v1/embeddings",
                    new JsonObject()
                        .put("model", "llama")
                        .put("input", new JsonArray().add("one cat").add("two dogs")))
                .body());

    JsonArray data = body.getJsonArray("data");
    assertThat(data).hasSize(2);
    JsonArray vector = data.getJsonObject(1).getJsonArray("embedding");
    double norm = 0;
    for (Object x : vector) {
      norm += ((Number) x).doubleValue() * ((Number) x).doubleValue();
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(body.getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(4);
  }

  @Test
  void streamsInVllmsChunkShapeWithAFinalUsageChunkAndDone() throws Exception {
    EngineSimulator engine = ready(EngineConfig.builder());

    HttpResponse<String> response =
        send(
            engine,
            "/v1/chat/completions",
            chat("Hello there")
                .put("stream", true)
                .put("max_tokens", 4)
                .put("stream_options", new JsonObject().put("include_usage", true)));

    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
    assertThat(response.body().split("\n\n")).allMatch(e -> e.startsWith("data: "));
    List<String> events = events(response.body());
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    List<JsonObject> chunks =
        events.subList(0, events.size() - 1).stream().map(JsonObject::new).toList();
    // role chunk, four tokens, usage chunk
    assertThat(chunks).hasSize(6);
    assertThat(chunks).allMatch(c -> c.getString("object").equals("chat.completion.chunk"));
    assertThat(chunks.stream().map(c -> c.getString("id")).distinct()).hasSize(1);
    JsonObject role = chunks.get(0).getJsonArray("choices").getJsonObject(0);
    assertThat(role.getJsonObject("delta").getString("role")).isEqualTo("assistant");
    JsonObject last = chunks.get(4).getJsonArray("choices").getJsonObject(0);
    assertThat(last.getString("finish_reason")).isEqualTo("length");
    assertThat(chunks.get(3).getJsonArray("choices").getJsonObject(0).getValue("finish_reason"))
        .isNull();
    JsonObject usageChunk = chunks.get(5);
    assertThat(usageChunk.getJsonArray("choices")).isEmpty();
    assertThat(usageChunk.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(4);
    String streamed =
        chunks.subList(1, 5).stream()
            .map(
                c ->
                    c.getJsonArray("choices")
                        .getJsonObject(0)
                        .getJsonObject("delta")
                        .getString("content"))
            .collect(Collectors.joining());
    String whole =
        new JsonObject(
                send(engine, "/v1/chat/completions", chat("Hello there").put("max_tokens", 4))
                    .body())
            .getJsonArray("choices")
            .getJsonObject(0)
            .getJsonObject("message")
            .getString("content");
    assertThat(streamed).isEqualTo(whole);
  }

  @Test
  void withoutIncludeUsageTheStreamHasNoUsageChunk() throws Exception {
    EngineSimulator engine = ready(EngineConfig.builder());

    String body =
        send(
                engine,
                "/v1/completions",
                new JsonObject()
                    .put("model", "llama")
                    .put("prompt", "Hi")
                    .put("stream", true)
                    .put("max_tokens", 3))
            .body();

    List<String> events = events(body);
    assertThat(events).hasSize(4).last().isEqualTo("[DONE]");
    assertThat(events.subList(0, 3))
        .allSatisfy(
            e -> {
              JsonObject chunk = new JsonObject(e);
              assertThat(chunk.getString("object")).isEqualTo("text_completion");
              assertThat(chunk.containsKey("usage")).isFalse();
            });
  }

  @Test
  void theSamePromptAndSeedAnswerAlikeAcrossEngines() throws Exception {
    EngineSimulator one = ready(EngineConfig.builder());
    EngineSimulator two = ready(EngineConfig.builder());
    JsonObject request = chat("What is a dormouse?").put("seed", 42);

    String a = content(send(one, "/v1/chat/completions", request));
    String b = content(send(two, "/v1/chat/completions", request));
    String other = content(send(one, "/v1/chat/completions", request.copy().put("seed", 43)));

    assertThat(a).isEqualTo(b);
    assertThat(other).isNotEqualTo(a);
  }

  private static String content(HttpResponse<String> response) {
    return new JsonObject(response.body())
        .getJsonArray("choices")
        .getJsonObject(0)
        .getJsonObject("message")
        .getString("content");
  }

  private static final String CHAT = "/v1/chat/completions";

  /** Seed 2 gives short natural answers to this prompt: 15 tokens as chat, 14 as completion. */
  private static JsonObject shortAnswer(String path) {
    JsonObject body =
        path.equals(CHAT)
            ? chat("Tell me about dormice")
            : new JsonObject().put("model", "llama").put("prompt", "Tell me about dormice");
    return body.put("seed", 2);
  }

  /** What a request was answered with, read from a whole response or from its SSE stream. */
  private record Answer(
      String text,
      int tokenChunks,
      List<String> finishReasons,
      int completion,
      int prompt,
      int total) {}

  private static Answer whole(String path, HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(response.body());
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    String text =
        path.equals(CHAT)
            ? choice.getJsonObject("message").getString("content")
            : choice.getString("text");
    JsonObject usage = body.getJsonObject("usage");
    return new Answer(
        text,
        0,
        List.of(choice.getString("finish_reason")),
        usage.getInteger("completion_tokens"),
        usage.getInteger("prompt_tokens"),
        usage.getInteger("total_tokens"));
  }

  private static Answer streamed(String path, HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    List<String> events = events(response.body());
    assertThat(events).last().isEqualTo("[DONE]");
    List<JsonObject> chunks =
        events.subList(0, events.size() - 1).stream().map(JsonObject::new).toList();
    JsonObject usage = chunks.get(chunks.size() - 1).getJsonObject("usage");
    StringBuilder text = new StringBuilder();
    List<String> finishReasons = new ArrayList<>();
    int tokenChunks = 0;
    for (JsonObject chunk : chunks.subList(0, chunks.size() - 1)) {
      JsonObject choice = chunk.getJsonArray("choices").getJsonObject(0);
      if (path.equals(CHAT) && choice.getJsonObject("delta").containsKey("role")) {
        continue; // the opening chunk carries no token
      }
      tokenChunks++;
      text.append(
          path.equals(CHAT)
              ? choice.getJsonObject("delta").getString("content")
              : choice.getString("text"));
      if (choice.getValue("finish_reason") != null) {
        finishReasons.add(choice.getString("finish_reason"));
      }
    }
    return new Answer(
        text.toString(),
        tokenChunks,
        finishReasons,
        usage.getInteger("completion_tokens"),
        usage.getInteger("prompt_tokens"),
        usage.getInteger("total_tokens"));
  }

  @ParameterizedTest(name = "{0} {1}: {2} tokens, {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # the default: the natural answer (15 tokens as chat, 14 as completion), max_tokens cuts
          /v1/chat/completions | {"max_tokens":64}                                   | 15 | stop
          /v1/chat/completions | {}                                                  | 15 | stop
          /v1/completions      | {"max_tokens":64}                                   | 14 | stop
          /v1/chat/completions | {"max_tokens":64,"ignore_eos":false}                | 15 | stop
          /v1/chat/completions | {"max_tokens":5}                                    |  5 | length
          # ignore_eos: the whole budget; without max_tokens the engine's default (32)
          /v1/chat/completions | {"max_tokens":64,"ignore_eos":true}                 | 64 | length
          /v1/chat/completions | {"max_completion_tokens":64,"ignore_eos":true}      | 64 | length
          /v1/completions      | {"max_tokens":64,"ignore_eos":true}                 | 64 | length
          /v1/chat/completions | {"ignore_eos":true}                                 | 32 | length
          # min_tokens lifts a short answer; max_tokens (or the default 32) still cuts it
          /v1/chat/completions | {"max_tokens":64,"min_tokens":40}                   | 40 | stop
          /v1/completions      | {"max_tokens":64,"min_tokens":40}                   | 40 | stop
          /v1/chat/completions | {"max_tokens":64,"min_tokens":3}                    | 15 | stop
          /v1/chat/completions | {"max_tokens":5,"min_tokens":3}                     |  5 | length
          /v1/chat/completions | {"min_tokens":40}                                   | 32 | length
          /v1/chat/completions | {"max_tokens":64,"min_tokens":40,"ignore_eos":true} | 64 | length
          """)
  void minTokensAndIgnoreEosSetTheLengthStreamedOrNot(
      String path, String fields, int tokens, String finishReason) throws Exception {
    EngineSimulator engine = ready(EngineConfig.builder());
    JsonObject request = shortAnswer(path).mergeIn(new JsonObject(fields));
    JsonObject streaming =
        request
            .copy()
            .put("stream", true)
            .put("stream_options", new JsonObject().put("include_usage", true));

    Answer whole = whole(path, send(engine, path, request));
    Answer streamed = streamed(path, send(engine, path, streaming));
    Answer natural = whole(path, send(engine, path, shortAnswer(path)));

    assertThat(whole.completion()).isEqualTo(tokens);
    assertThat(whole.finishReasons()).containsExactly(finishReason);
    assertThat(whole.total()).isEqualTo(whole.prompt() + tokens);
    // one chunk per token, the last alone carrying the finish reason; usage counts them
    assertThat(streamed.tokenChunks()).isEqualTo(tokens);
    assertThat(streamed.completion()).isEqualTo(tokens);
    assertThat(streamed.finishReasons()).containsExactly(finishReason);
    assertThat(streamed.total()).isEqualTo(streamed.prompt() + tokens);
    assertThat(streamed.text()).isEqualTo(whole.text());
    // a longer answer goes on from the natural one, a shorter one is its beginning
    if (tokens >= natural.completion()) {
      assertThat(whole.text()).startsWith(natural.text());
    } else {
      assertThat(natural.text()).startsWith(whole.text());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"max_tokens":64,"min_tokens":65}         | min_tokens | must be less than or equal to max_tokens=64, got 65.
          {"max_completion_tokens":8,"min_tokens":9} | min_tokens | must be less than or equal to max_tokens=8, got 9.
          {"min_tokens":-1}                         | min_tokens | min_tokens must be greater than or equal to 0, got -1.
          {"min_tokens":"8"}                        | min_tokens | min_tokens must be an integer
          {"min_tokens":2.5}                        | min_tokens | min_tokens must be an integer
          {"min_tokens":null}                       | min_tokens | min_tokens must be an integer
          {"ignore_eos":"true"}                     | ignore_eos | ignore_eos must be a boolean
          {"ignore_eos":1}                          | ignore_eos | ignore_eos must be a boolean
          {"ignore_eos":null}                       | ignore_eos | ignore_eos must be a boolean
          {"stream":true,"ignore_eos":"yes"}        | ignore_eos | ignore_eos must be a boolean
          {"max_tokens":5000,"ignore_eos":true}     | max_tokens | maximum context length is 4096 tokens
          """)
  void badMinTokensOrIgnoreEosIs400NamingTheParameter(String fields, String param, String message)
      throws Exception {
    EngineSimulator engine = ready(EngineConfig.builder());

    HttpResponse<String> response = send(engine, CHAT, chat("hi").mergeIn(new JsonObject(fields)));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("BadRequestError");
    assertThat(error.getInteger("code")).isEqualTo(400);
    assertThat(error.getString("param")).isEqualTo(param);
    assertThat(error.getString("message")).contains(message);
  }

  @Test
  void unknownModelIs404AndABadBodyIs400InOpenAisShape() throws Exception {
    EngineSimulator engine = ready(EngineConfig.builder());

    HttpResponse<String> unknown =
        send(engine, "/v1/chat/completions", chat("hi").put("model", "gpt-9"));
    HttpResponse<String> bad =
        send(engine, "/v1/chat/completions", new JsonObject().put("model", "llama"));

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getJsonObject("error").getString("message"))
        .contains("gpt-9");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(bad.body()).getJsonObject("error").getString("type"))
        .isEqualTo("BadRequestError");
  }

  @Test
  void sequencesBeyondMaxNumSeqsWaitAndShowInMetrics() throws Exception {
    EngineSimulator engine = ready(EngineConfig.builder().maxNumSeqs(1).tokensPerSecond(20));
    JsonObject request = chat("slow").put("max_tokens", 20);

    CompletableFuture<HttpResponse<String>> first =
        http.sendAsync(
            post(engine, "/v1/chat/completions", request), HttpResponse.BodyHandlers.ofString());
    CompletableFuture<HttpResponse<String>> second =
        http.sendAsync(
            post(engine, "/v1/chat/completions", request), HttpResponse.BodyHandlers.ofString());

    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(get(engine, "/metrics").body())
                    .contains("vllm:num_requests_running{engine=\"0\",model_name=\"llama\"} 1.0")
                    .contains("vllm:num_requests_waiting{engine=\"0\",model_name=\"llama\"} 1.0"));
    assertThat(first.get().statusCode()).isEqualTo(200);
    assertThat(second.get().statusCode()).isEqualTo(200);
    int generated =
        new JsonObject(first.get().body()).getJsonObject("usage").getInteger("completion_tokens")
            + new JsonObject(second.get().body())
                .getJsonObject("usage")
                .getInteger("completion_tokens");
    String metrics = get(engine, "/metrics").body();
    assertThat(metrics)
        .contains("vllm:num_requests_running{engine=\"0\",model_name=\"llama\"} 0.0")
        .contains(
            "vllm:generation_tokens_total{engine=\"0\",model_name=\"llama\"} " + generated + ".0")
        .contains("# TYPE vllm:prompt_tokens_total counter");
  }

  @Test
  void crashCutsTheStreamMidwayAndStopsListening() throws Exception {
    EngineSimulator engine =
        ready(EngineConfig.builder().fault(EngineFault.CRASH).faultAfterTokens(3));

    // A raw socket, to see every byte that reached the wire before the connection died.
    String wire;
    try (java.net.Socket socket = new java.net.Socket(engine.config().host(), engine.port())) {
      String body = chat("hi").put("stream", true).put("max_tokens", 30).encode();
      socket
          .getOutputStream()
          .write(
              ("POST /v1/chat/completions HTTP/1.1\r\nHost: engine\r\n"
                      + "Content-Type: application/json\r\nContent-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body)
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      socket.setSoTimeout((int) BOUND.toMillis());
      wire =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    assertThat(wire).startsWith("HTTP/1.1 200");
    // role chunk and three tokens, then the connection ends: no [DONE], no last chunk
    assertThat(wire.split("data: ", -1)).hasSize(5);
    assertThat(wire).doesNotContain("[DONE]").doesNotEndWith("0\r\n\r\n");
    await().atMost(BOUND).until(() -> engine.state() == EngineSimulator.State.CRASHED);
    assertThatThrownBy(() -> get(engine, "/health")).isInstanceOf(IOException.class);
  }

  @Test
  void hangAcceptsAndNeverAnswers() throws Exception {
    EngineSimulator engine = ready(EngineConfig.builder().fault(EngineFault.HANG));

    CompletableFuture<HttpResponse<String>> pending =
        http.sendAsync(
            post(engine, "/v1/chat/completions", chat("hi")), HttpResponse.BodyHandlers.ofString());

    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(get(engine, "/metrics").body())
                    .contains("vllm:num_requests_running{engine=\"0\",model_name=\"llama\"} 1.0"));
    assertThat(pending).isNotDone();
    assertThat(get(engine, "/health").statusCode()).isEqualTo(200);
    pending.cancel(true);
  }

  @Test
  void errorFaultAnswers500InOpenAisShape() throws Exception {
    EngineSimulator engine = ready(EngineConfig.builder().fault(EngineFault.ERROR));

    HttpResponse<String> response = send(engine, "/v1/chat/completions", chat("hi"));

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getInteger("code"))
        .isEqualTo(500);
  }

  @Test
  void outOfMemoryAtLoadLogsVllmsLineAndNeverBecomesReady() throws Exception {
    EngineSimulator engine =
        start(EngineConfig.builder().fault(EngineFault.OOM).startup(Duration.ofMillis(100)));

    await().atMost(BOUND).until(() -> engine.state() == EngineSimulator.State.FAILED);

    assertThat(engine.logLines())
        .anyMatch(l -> l.contains("torch.OutOfMemoryError: CUDA out of memory"));
    assertThat(get(engine, "/health").statusCode()).isEqualTo(503);
  }

  @Test
  void shutdownLetsInFlightStreamsFinish() throws Exception {
    // Ten tokens at 10/s: a stream of a second, so a busy machine's poll still sees it running.
    EngineSimulator engine = ready(EngineConfig.builder().tokensPerSecond(10));
    CompletableFuture<HttpResponse<String>> inFlight =
        http.sendAsync(
            post(
                engine,
                "/v1/chat/completions",
                chat("hi").put("stream", true).put("max_tokens", 10)),
            HttpResponse.BodyHandlers.ofString());
    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(get(engine, "/metrics").body())
                    .contains("vllm:num_requests_running{engine=\"0\",model_name=\"llama\"} 1.0"));

    engine.shutdown(Duration.ofSeconds(30));

    assertThat(inFlight.get().body()).endsWith("data: [DONE]\n\n");
    await().atMost(BOUND).until(() -> engine.state() == EngineSimulator.State.STOPPED);
  }

  @Test
  void tellsWhatReachedItHowManyItHeldAtOnceAndWhichClientsLeft() throws Exception {
    // forty tokens at 10/s: the first stream runs 4 s, long enough for the second to overlap it
    EngineSimulator engine = ready(EngineConfig.builder().tokensPerSecond(10));
    List<ReceivedRequest> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    engine.onRequest(seen::add);
    String body =
        chat("hi").put("stream", true).put("max_tokens", 40).put("ignore_eos", true).encode();
    CompletableFuture<HttpResponse<String>> kept =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json")
                .header("x-caller", "kept")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    await().atMost(BOUND).until(() -> engine.inFlight() == 1);

    try (java.net.Socket socket = new java.net.Socket(engine.config().host(), engine.port())) {
      socket
          .getOutputStream()
          .write(
              ("POST /v1/chat/completions HTTP/1.1\r\nHost: engine\r\nx-caller: left\r\n"
                      + "Content-Type: application/json\r\nContent-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body)
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      socket.setSoTimeout((int) BOUND.toMillis());
      assertThat(socket.getInputStream().read()).isPositive(); // its stream began; it leaves
    }

    await().atMost(BOUND).until(() -> engine.abandoned() == 1);
    assertThat(kept.get().body()).endsWith("data: [DONE]\n\n");
    assertThat(engine.abandoned()).isEqualTo(1);
    assertThat(engine.peakInFlight()).isEqualTo(2);
    await().atMost(BOUND).until(() -> engine.inFlight() == 0);
    assertThat(seen).hasSize(2);
    assertThat(seen).extracting(r -> r.headers().get("X-Caller")).containsExactly("kept", "left");
    assertThat(seen)
        .allSatisfy(
            r -> {
              assertThat(r.path()).isEqualTo("/v1/chat/completions");
              assertThat(r.body().getInteger("max_tokens")).isEqualTo(40);
            });
  }

  @Test
  void aCrashIsNotCountedAsClientsLeaving() throws Exception {
    EngineSimulator engine =
        ready(EngineConfig.builder().fault(EngineFault.CRASH).faultAfterTokens(1));

    assertThatThrownBy(
            () ->
                send(
                    engine,
                    "/v1/chat/completions",
                    chat("hi").put("stream", true).put("max_tokens", 5)))
        .isInstanceOf(IOException.class); // the stream broke off

    await().atMost(BOUND).until(() -> engine.state() == EngineSimulator.State.CRASHED);
    assertThat(engine.abandoned()).isZero();
  }
}
