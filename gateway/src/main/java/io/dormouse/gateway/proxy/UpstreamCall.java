package io.dormouse.gateway.proxy;

import io.dormouse.gateway.backend.Backend;
import io.dormouse.gateway.ratelimit.RateLimitState;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Forwards one request to one backend and streams the answer back chunk by chunk: nothing is held
 * whole. Usage is tapped on the way through. A client that goes away aborts the upstream request;
 * an engine that fails answers the client with an OpenAI-shaped error or, mid-stream, a terminating
 * SSE error event. Runs on the gateway's event loop.
 */
public final class UpstreamCall {

  /** Headers that describe one hop, or that the engine must not see. */
  private static final Set<String> NOT_FORWARDED = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

  static {
    NOT_FORWARDED.addAll(
        Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "transfer-encoding",
            "te",
            "trailer",
            "upgrade",
            "host",
            "content-length",
            "authorization",
            "expect"));
  }

  /**
   * How the call ended.
   *
   * @param retryable the engine never answered and nothing of it reached the client: the caller may
   *     send the request elsewhere, or answer with {@link #answerUnreachable}
   * @param firstByteNanos {@link System#nanoTime()} when the engine's answer began, 0 if it did not
   */
  public record Result(
      int status,
      Outcome outcome,
      Usage usage,
      long upstreamMillis,
      boolean retryable,
      long firstByteNanos) {}

  private final HttpClient client;
  private final Backend backend;
  private final HttpServerResponse out;
  private final boolean stream;
  private final boolean clientWantsUsage;
  private final long promptEstimate;
  private final Consumer<Result> onDone;
  private long startNanos;
  private HttpClientRequest upstream;
  private SseUsageTap sse;
  private JsonUsageTap json;
  private int status;
  private long firstByteNanos;
  private boolean done;

  public UpstreamCall(
      HttpClient client,
      Backend backend,
      HttpServerResponse out,
      boolean stream,
      boolean clientWantsUsage,
      long promptEstimate,
      Consumer<Result> onDone) {
    this.client = client;
    this.backend = backend;
    this.out = out;
    this.stream = stream;
    this.clientWantsUsage = clientWantsUsage;
    this.promptEstimate = promptEstimate;
    this.onDone = onDone;
  }

  /**
   * Sends the request. {@code extraHeaders} go on the response to the client (rate limit headers)
   * unless its head was already written (heartbeats while waiting).
   */
  public void start(
      HttpMethod method, String uri, MultiMap inHeaders, Buffer body, RateLimitState extraHeaders) {
    startNanos = System.nanoTime();
    out.closeHandler(v -> clientGone());
    RequestOptions options =
        new RequestOptions()
            .setHost(backend.host())
            .setPort(backend.port())
            .setMethod(method)
            .setURI(uri)
            .setConnectTimeout(5000);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    inHeaders.forEach(
        (name, value) -> {
          if (!NOT_FORWARDED.contains(name)) {
            headers.add(name, value);
          }
        });
    options.setHeaders(headers);
    client
        .request(options)
        .onFailure(e -> failedBeforeResponse(UpstreamFailure.Stage.CONNECTING, e))
        .onSuccess(
            request -> {
              upstream = request;
              if (done) {
                request.reset();
                return;
              }
              request
                  .send(body)
                  .onSuccess(response -> respond(response, extraHeaders))
                  .onFailure(e -> failedBeforeResponse(UpstreamFailure.Stage.AWAITING_RESPONSE, e));
            });
  }

  private void respond(HttpClientResponse response, RateLimitState extraHeaders) {
    if (done) {
      return;
    }
    firstByteNanos = System.nanoTime();
    status = response.statusCode();
    boolean eventStream =
        String.valueOf(response.getHeader(HttpHeaders.CONTENT_TYPE))
            .startsWith("text/event-stream");
    boolean tapsEvents = stream && eventStream;
    if (!out.headWritten()) {
      out.setStatusCode(status);
      response
          .headers()
          .forEach(
              (name, value) -> {
                if (!NOT_FORWARDED.contains(name)) {
                  out.headers().add(name, value);
                }
              });
      if (extraHeaders != null) {
        extraHeaders.forEachHeader(out::putHeader);
      }
      String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
      if (length != null && !tapsEvents) {
        out.putHeader(HttpHeaders.CONTENT_LENGTH, length); // the body passes through unchanged
      } else {
        out.setChunked(true);
      }
    } else {
      status = 200; // heartbeats already promised an event stream
      if (!eventStream || response.statusCode() != 200) {
        response.pause();
        failMidStream("the model answered with HTTP " + response.statusCode());
        return;
      }
    }
    if (tapsEvents) {
      sse = new SseUsageTap(!clientWantsUsage);
    } else {
      json = new JsonUsageTap();
    }
    response.handler(
        chunk -> {
          if (done) {
            return;
          }
          if (sse != null) {
            byte[] read = chunk.getBytes();
            byte[] events = sse.feed(read);
            if (events == read) {
              out.write(chunk); // whole events, all kept: forward the buffer as it came
            } else if (events.length > 0) {
              out.write(Buffer.buffer(events));
            }
          } else {
            json.feed(chunk);
            out.write(chunk);
          }
          if (out.writeQueueFull()) {
            response.pause();
            out.drainHandler(v -> response.resume());
          }
        });
    response.exceptionHandler(
        e -> failMidStream("the model's response broke off: " + e.getMessage()));
    response.endHandler(
        v -> {
          if (done) {
            return;
          }
          if (sse != null) {
            byte[] rest = sse.finish();
            if (rest.length > 0) {
              out.write(Buffer.buffer(rest));
            }
          }
          out.end();
          finish(Outcome.completed);
        });
  }

  private void failedBeforeResponse(UpstreamFailure.Stage stage, Throwable cause) {
    if (done) {
      return;
    }
    status = 502;
    if (UpstreamFailure.retryable(stage, cause)) {
      finish(Outcome.upstream_failed, true);
      return;
    }
    answerUnreachable(out);
    finish(Outcome.upstream_failed, false);
  }

  /**
   * Tells the client the model could not be reached: a 502, or a closing SSE error event when
   * heartbeats already began a stream.
   */
  public static void answerUnreachable(HttpServerResponse out) {
    if (out.closed() || out.ended()) {
      return;
    }
    if (out.headWritten()) {
      out.end("data: " + errorBody("the model could not be reached").encode() + "\n\n");
    } else {
      out.setStatusCode(502)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(errorBody("The model's engine could not be reached; try again.").encode());
    }
  }

  private void failMidStream(String message) {
    if (done) {
      return;
    }
    if (upstream != null) {
      upstream.reset();
    }
    if (!out.closed()) {
      if (stream || sse != null) {
        out.end("data: " + errorBody(message).encode() + "\n\n");
      } else {
        out.reset(); // a half-sent JSON body cannot be repaired: the client sees a broken response
      }
    }
    finish(Outcome.upstream_failed);
  }

  private void clientGone() {
    if (done) {
      return;
    }
    if (upstream != null) {
      upstream.reset();
    }
    finish(Outcome.disconnected);
  }

  private static JsonObject errorBody(String message) {
    return new JsonObject()
        .put(
            "error",
            new JsonObject()
                .put("message", message)
                .put("type", "server_error")
                .putNull("param")
                .put("code", "upstream_error"));
  }

  private void finish(Outcome outcome) {
    finish(outcome, false);
  }

  private void finish(Outcome outcome, boolean retryable) {
    done = true;
    Usage usage;
    if (sse != null) {
      usage = sse.usage(promptEstimate);
    } else if (json != null && json.usage() != null) {
      usage = json.usage();
    } else {
      usage = new Usage(status >= 200 && status < 300 ? promptEstimate : 0, 0, false);
    }
    onDone.accept(
        new Result(
            status,
            outcome,
            usage,
            (System.nanoTime() - startNanos) / 1_000_000,
            retryable,
            firstByteNanos));
  }
}
