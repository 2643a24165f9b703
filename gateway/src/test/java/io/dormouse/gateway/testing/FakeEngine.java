package io.dormouse.gateway.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process stand-in for vLLM: chat, completions and embeddings, streaming with a gap between
 * chunks, usage when asked, and faults on demand.
 */
public final class FakeEngine implements AutoCloseable {

  /** How the engine behaves for the next requests; tests change it between requests. */
  public volatile int chunks = 3;

  public volatile long chunkGapMillis = 0;

  /** Close the connection after this many chunks (-1: never). */
  public volatile int breakAfterChunks = -1;

  /** Hold every response this long before answering. */
  public volatile long holdMillis = 0;

  public final AtomicInteger received = new AtomicInteger();

  /** Streams whose client went away before the end. */
  public final AtomicInteger aborted = new AtomicInteger();

  public final AtomicInteger inFlight = new AtomicInteger();
  public final AtomicInteger peakInFlight = new AtomicInteger();
  public final List<JsonObject> bodies = new CopyOnWriteArrayList<>();
  public final List<String> authorizations = new CopyOnWriteArrayList<>();

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  public FakeEngine() throws Exception {
    server =
        vertx
            .createHttpServer()
            .requestHandler(this::handle)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
  }

  public int port() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    received.incrementAndGet();
    int now = inFlight.incrementAndGet();
    peakInFlight.accumulateAndGet(now, Math::max);
    authorizations.add(String.valueOf(request.getHeader("Authorization")));
    HttpServerResponse out = request.response();
    out.closeHandler(v -> {});
    request.body(
        ar -> {
          JsonObject body = ar.succeeded() ? ar.result().toJsonObject() : new JsonObject();
          bodies.add(body);
          long hold = holdMillis;
          if (hold > 0) {
            vertx.setTimer(hold, id -> answer(request, body));
          } else {
            answer(request, body);
          }
        });
  }

  private void answer(HttpServerRequest request, JsonObject body) {
    HttpServerResponse out = request.response();
    int n = chunks;
    if (request.path().endsWith("/embeddings")) {
      done(out);
      out.putHeader("content-type", "application/json")
          .end(
              new JsonObject()
                  .put("object", "list")
                  .put(
                      "data",
                      new JsonArray()
                          .add(new JsonObject().put("embedding", new JsonArray().add(0.1))))
                  .put("model", body.getString("model"))
                  .put("usage", new JsonObject().put("prompt_tokens", 4).put("total_tokens", 4))
                  .encode());
      return;
    }
    if (body.getBoolean("stream", false)) {
      boolean usage =
          body.getJsonObject("stream_options", new JsonObject()).getBoolean("include_usage", false);
      out.setChunked(true).putHeader("content-type", "text/event-stream");
      sendChunk(out, body.getString("model"), 0, n, usage);
      return;
    }
    done(out);
    out.putHeader("content-type", "application/json")
        .end(completion(body.getString("model"), n).encode());
  }

  private void sendChunk(HttpServerResponse out, String model, int i, int n, boolean usage) {
    if (out.closed()) {
      aborted.incrementAndGet();
      inFlight.decrementAndGet();
      return;
    }
    if (breakAfterChunks >= 0 && i == breakAfterChunks) {
      inFlight.decrementAndGet();
      out.reset();
      return;
    }
    if (i < n) {
      out.write("data: " + chunk(model, i).encode() + "\n\n");
      long gap = chunkGapMillis;
      if (gap > 0) {
        vertx.setTimer(gap, id -> sendChunk(out, model, i + 1, n, usage));
      } else {
        sendChunk(out, model, i + 1, n, usage);
      }
      return;
    }
    if (usage) {
      out.write(
          "data: "
              + new JsonObject()
                  .put("id", "chatcmpl-fake")
                  .put("object", "chat.completion.chunk")
                  .put("created", 1)
                  .put("model", model)
                  .put("choices", new JsonArray())
                  .put("usage", usage(n))
                  .encode()
              + "\n\n");
    }
    done(out);
    out.end("data: [DONE]\n\n");
  }

  private void done(HttpServerResponse out) {
    inFlight.decrementAndGet();
  }

  static JsonObject usage(int completion) {
    return new JsonObject()
        .put("prompt_tokens", 5)
        .put("completion_tokens", completion)
        .put("total_tokens", 5 + completion);
  }

  static JsonObject chunk(String model, int i) {
    return new JsonObject()
        .put("id", "chatcmpl-fake")
        .put("object", "chat.completion.chunk")
        .put("created", 1)
        .put("model", model)
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("delta", new JsonObject().put("content", "tok" + i + " "))
                        .putNull("finish_reason")));
  }

  static JsonObject completion(String model, int n) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      text.append("tok").append(i).append(' ');
    }
    return new JsonObject()
        .put("id", "chatcmpl-fake")
        .put("object", "chat.completion")
        .put("created", 1)
        .put("model", model)
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put(
                            "message",
                            new JsonObject()
                                .put("role", "assistant")
                                .put("content", text.toString()))
                        .put("finish_reason", "stop")))
        .put("usage", usage(n));
  }

  @Override
  public void close() {
    vertx.close();
  }
}
