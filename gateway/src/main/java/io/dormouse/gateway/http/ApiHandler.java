package io.dormouse.gateway.http;

import io.dormouse.gateway.auth.KeyStore;
import io.dormouse.gateway.auth.Principal;
import io.dormouse.gateway.backend.Backend;
import io.dormouse.gateway.proxy.Outcome;
import io.dormouse.gateway.proxy.StreamOptions;
import io.dormouse.gateway.proxy.UpstreamCall;
import io.dormouse.gateway.proxy.Usage;
import io.dormouse.gateway.ratelimit.Admission;
import io.dormouse.gateway.ratelimit.ProjectLimiter;
import io.dormouse.gateway.routing.BadRequest;
import io.dormouse.gateway.routing.EndpointRef;
import io.dormouse.gateway.routing.EndpointRoute;
import io.dormouse.gateway.routing.RequestSummary;
import io.dormouse.gateway.routing.RequestSummaryParser;
import io.dormouse.gateway.routing.RouteTable;
import io.dormouse.gateway.usage.AccessLog;
import io.dormouse.gateway.usage.GatewayMetrics;
import io.dormouse.gateway.usage.RequestRecord;
import io.dormouse.gateway.wake.EndpointDispatcher;
import io.dormouse.gateway.wake.RetryPolicy;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible front: auth ▸ route ▸ rate limit ▸ backend or wait ▸ proxy. Runs on the
 * gateway's event loop and never blocks it.
 */
final class ApiHandler implements Handler<HttpServerRequest>, Fleet.Waiters {

  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  static final Set<String> INFERENCE_PATHS =
      Set.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings");

  /** Completion tokens reserved when a request names no max_tokens; settled on real usage. */
  static final long DEFAULT_COMPLETION_RESERVE = 256;

  /** Tuning that tests shorten. */
  record Options(
      long maxBodyBytes,
      Duration bodyTimeout,
      Duration heartbeatAfter,
      Duration heartbeatEvery,
      Duration upstreamIdleTimeout) {}

  private final Vertx vertx;
  private final HttpClient client;
  private final KeyStore keys;
  private final Fleet fleet;
  private final ProjectLimiter limiter;
  private final GatewayMetrics metrics;
  private final Consumer<EndpointRef> wakeSignal;
  private final Clock clock;
  private final Options options;
  private final IdleConnections connections;
  private int active;
  private boolean draining;

  ApiHandler(
      Vertx vertx,
      HttpClient client,
      KeyStore keys,
      Fleet fleet,
      ProjectLimiter limiter,
      GatewayMetrics metrics,
      Consumer<EndpointRef> wakeSignal,
      Clock clock,
      Options options,
      IdleConnections connections) {
    this.vertx = vertx;
    this.connections = connections;
    this.client = client;
    this.keys = keys;
    this.fleet = fleet;
    this.limiter = limiter;
    this.metrics = metrics;
    this.wakeSignal = wakeSignal;
    this.clock = clock;
    this.options = options;
    fleet.waiters(this);
  }

  /** Requests whose response has not ended yet. */
  int active() {
    return active;
  }

  /** Stop taking requests; waiters are sent away to retry elsewhere. */
  void drain() {
    draining = true;
    for (Exchange x : fleet.drainAll()) {
      fail(
          x,
          new OpenAiError(
              503,
              "service_unavailable",
              "shutting_down",
              "The gateway is shutting down; retry.",
              null));
    }
  }

  @Override
  public void handle(HttpServerRequest request) {
    active++;
    var connection = request.connection();
    connections.requestStarted(connection);
    boolean[] counted = {false};
    Runnable release =
        () -> {
          if (!counted[0]) {
            counted[0] = true;
            active--;
            connections.requestEnded(connection);
          }
        };
    // the proxy and the wait queue take over the close handler; exchanges release when they finish
    request.response().endHandler(v -> release.run());
    request.response().closeHandler(v -> release.run());
    HttpServerResponse response = request.response();
    if (draining) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
      refuse(
          request,
          new OpenAiError(
              503,
              "service_unavailable",
              "shutting_down",
              "The gateway is shutting down; retry.",
              null),
          Map.of());
      return;
    }
    String path = request.path();
    if ("/v1/models".equals(path)) {
      if (request.method() != HttpMethod.GET) {
        refuse(request, methodNotAllowed(request), Map.of("Allow", "GET"));
      } else {
        models(request);
      }
    } else if (INFERENCE_PATHS.contains(path)) {
      if (request.method() != HttpMethod.POST) {
        refuse(request, methodNotAllowed(request), Map.of("Allow", "POST"));
      } else {
        inference(new Exchange(request, release));
      }
    } else {
      refuse(
          request,
          OpenAiError.invalidRequest(
              404, "unknown_url", "Unknown request URL: " + request.method() + " " + path, null),
          Map.of());
    }
  }

  private void models(HttpServerRequest request) {
    Optional<Principal> principal = authenticate(request);
    if (principal.isEmpty()) {
      return;
    }
    JsonArray data = new JsonArray();
    for (RouteTable.Listed m : fleet.table().visibleTo(principal.get().project())) {
      EndpointRoute r = m.route();
      data.add(
          new JsonObject()
              .put("id", m.id())
              .put("object", "model")
              .put("created", 0)
              .put("owned_by", r.ref().namespace())
              .put("phase", r.phase() == null ? "Unknown" : r.phase().name()));
    }
    request
        .response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("object", "list").put("data", data).encode());
  }

  private void inference(Exchange x) {
    HttpServerRequest request = x.request;
    Optional<Principal> principal = authenticate(request);
    if (principal.isEmpty()) {
      return;
    }
    x.principal = principal.get();
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).strip().startsWith("application/json")) {
      answer(
          x,
          OpenAiError.invalidRequest(
              415, "unsupported_media_type", "The request body must be application/json.", null),
          true);
      return;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && tooLong(length)) {
      answer(
          x,
          OpenAiError.invalidRequest(
              413,
              "request_too_large",
              "The request body is larger than " + options.maxBodyBytes() + " bytes.",
              null),
          true);
      return;
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue(); // only now, so no body is invited before auth
    }
    BodyReader.read(vertx, request, options.maxBodyBytes(), options.bodyTimeout().toMillis())
        .onSuccess(body -> routed(x, body))
        .onFailure(
            e -> {
              OpenAiError error =
                  e instanceof BodyReader.Refused r
                      ? r.error
                      : OpenAiError.invalidRequest(
                          400, "invalid_request", "Unreadable body.", null);
              answer(x, error, true);
            });
  }

  private boolean tooLong(String length) {
    try {
      return Long.parseLong(length.strip()) > options.maxBodyBytes();
    } catch (NumberFormatException e) {
      return false; // Netty refuses a malformed Content-Length before we see the request
    }
  }

  private void routed(Exchange x, Buffer body) {
    RequestSummary summary;
    try {
      summary = RequestSummaryParser.parse(body.getBytes());
    } catch (BadRequest e) {
      answer(x, OpenAiError.invalidRequest(400, e.code(), e.getMessage(), e.param()), false);
      return;
    }
    x.summary = summary;
    x.body = body;
    Optional<EndpointRoute> route = fleet.table().resolve(summary.model(), x.principal.project());
    if (route.isEmpty()) {
      answer(
          x,
          OpenAiError.invalidRequest(
              404,
              "model_not_found",
              "The model `"
                  + summary.model()
                  + "` does not exist or you do not have access to it."
                  + " GET /v1/models lists the models this key may use.",
              "model"),
          false);
      return;
    }
    EndpointRoute r = route.get();
    x.route = r;
    long completion =
        summary.maxTokens() != null
            ? summary.maxTokens()
            : "/v1/embeddings".equals(x.request.path()) ? 0 : DEFAULT_COMPLETION_RESERVE;
    Admission admission =
        limiter.admit(
            x.principal.project(),
            r.ref().toString(),
            new ProjectLimiter.Limits(r.limits().requestsPerSecond(), r.limits().tokensPerSecond())
                .share(fleet.gatewayReplicas()),
            summary.promptTokens() + completion);
    x.admission = admission;
    x.rateHeaders = admission.state().headers();
    if (!admission.admitted()) {
      metrics.rateLimited(
          r.ref().namespace(), r.ref().name(), x.principal.project(), admission.refusedBy().name());
      // The refusing limit's x-ratelimit-reset-* header tells the same wait, in the same ms.
      long ms = admission.retryAfter().toMillis();
      Map<String, String> headers = new LinkedHashMap<>(x.rateHeaders);
      headers.put("Retry-After", Long.toString((ms + 999) / 1000));
      headers.put("retry-after-ms", Long.toString(ms));
      answer(
          x,
          new OpenAiError(
              429,
              admission.refusedBy().name(),
              "rate_limit_exceeded",
              "Rate limit reached for "
                  + admission.refusedBy().name()
                  + " on model "
                  + r.servedName()
                  + " for project "
                  + x.principal.project()
                  + ". Retry after "
                  + ms
                  + " ms.",
              null),
          headers,
          false);
      return;
    }
    dispatch(x);
  }

  /** Sends the exchange to a backend, or queues it, or refuses it. */
  private void dispatch(Exchange x) {
    EndpointRoute r = x.route;
    EndpointDispatcher<Exchange> d = fleet.dispatcher(r.ref());
    var submitted = d.submit(x, clock.instant());
    if (submitted instanceof EndpointDispatcher.Dispatch dispatch) {
      forward(x, dispatch.backend());
    } else if (submitted instanceof EndpointDispatcher.Queued queued) {
      wait(x, d, queued.signalWake());
    } else if (submitted instanceof EndpointDispatcher.Refused refused) {
      refund(x);
      if (refused.reason() == EndpointDispatcher.Refusal.ENDPOINT_FAILED) {
        answer(x, Exchange.endpointFailed(r), false);
      } else {
        answer(
            x,
            new OpenAiError(
                503,
                "service_unavailable",
                "queue_full",
                "Too many requests are waiting for the model "
                    + r.servedName()
                    + "; retry shortly.",
                null),
            false);
      }
    }
    fleet.depth(r.ref(), d);
  }

  private void wait(Exchange x, EndpointDispatcher<Exchange> d, boolean signalWake) {
    EndpointRef ref = x.route.ref();
    x.queuedAtNanos = System.nanoTime();
    if (signalWake) {
      wakeSignal.accept(ref);
    }
    x.deadlineTimer =
        vertx.setTimer(
            Math.max(1, untilDeadline(x).toMillis()),
            id -> {
              if (d.withdraw(x)) {
                fleet.depth(ref, d);
                waitTimedOut(x, d.hasReadyBackend());
              }
            });
    if (x.summary.stream()) {
      x.heartbeatTimer = vertx.setTimer(options.heartbeatAfter().toMillis(), id -> heartbeat(x));
    }
    x.request
        .response()
        .closeHandler(
            v -> {
              if (x.waiting() && d.withdraw(x)) {
                fleet.depth(ref, d);
                cancelTimers(x);
                refund(x);
                finish(x, 499, "disconnected", null, 0);
              }
            });
  }

  private void heartbeat(Exchange x) {
    HttpServerResponse out = x.request.response();
    if (!x.waiting() || out.closed()) {
      return;
    }
    if (!out.headWritten()) {
      out.setStatusCode(200)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
      x.rateHeaders.forEach(out::putHeader);
      out.setChunked(true);
    }
    out.write(": waiting for the model to wake\n\n");
    x.heartbeatTimer = vertx.setTimer(options.heartbeatEvery().toMillis(), id -> heartbeat(x));
  }

  /**
   * The wait hit {@code wakeTimeout}. SDKs must not retry this ({@code x-should-retry: false}): a
   * retry would only wait as long again. No {@code Retry-After}, which would say the opposite.
   */
  private void waitTimedOut(Exchange x, boolean saturated) {
    cancelTimers(x);
    refund(x);
    x.wakeWaitMillis = (System.nanoTime() - x.queuedAtNanos) / 1_000_000;
    long seconds = x.route.wakeTimeout().toSeconds();
    OpenAiError error =
        saturated
            ? new OpenAiError(
                504,
                "timeout",
                "queue_timeout",
                "No replica of the model "
                    + x.route.servedName()
                    + " had room for this request within "
                    + seconds
                    + "s; try again later.",
                null)
            : new OpenAiError(
                504,
                "timeout",
                "wake_timeout",
                "The model "
                    + x.route.servedName()
                    + " did not wake within "
                    + seconds
                    + "s; try again later.",
                null);
    sendError(x, error, x.rateHeaders, false);
  }

  @Override
  public void release(Exchange x, Backend backend) {
    if (x.finished()) {
      finished(x.route.ref(), backend);
      return;
    }
    forward(x, backend);
  }

  @Override
  public void fail(Exchange x, OpenAiError error) {
    cancelTimers(x);
    refund(x);
    if (x.queuedAtNanos != 0) {
      x.wakeWaitMillis = (System.nanoTime() - x.queuedAtNanos) / 1_000_000;
    }
    sendError(x, error, x.rateHeaders, false);
  }

  private void forward(Exchange x, Backend backend) {
    cancelTimers(x);
    x.backend = backend;
    if (x.queuedAtNanos != 0) {
      x.wakeWaitMillis = (System.nanoTime() - x.queuedAtNanos) / 1_000_000;
    }
    Buffer body = x.body;
    if (x.summary.stream()) {
      try {
        body = Buffer.buffer(StreamOptions.withUsage(x.body.getBytes()));
      } catch (IOException e) {
        body = x.body; // parsed before, so this does not happen; forward it untouched if it does
      }
    }
    new UpstreamCall(
            client,
            backend,
            x.request.response(),
            x.summary.stream(),
            x.summary.clientWantsUsage(),
            x.summary.promptTokens(),
            options.upstreamIdleTimeout().toMillis(),
            result -> {
              if (result.retryable()) {
                unreachable(x, backend);
                return;
              }
              limiter.settle(
                  x.principal.project(),
                  x.route.ref().toString(),
                  x.admission.reservedTokens(),
                  result.usage().total());
              finish(
                  x,
                  result.status(),
                  result.outcome().name(),
                  result.usage(),
                  result.upstreamMillis());
              finished(x.route.ref(), backend);
            })
        .start(x.request.method(), x.request.uri(), x.request.headers(), body, x.rateHeaders);
  }

  /**
   * The backend went away before answering: it is passed over for a while, and the request is sent
   * again after a pause (elsewhere, or to a wake) within its deadline, or answered 502.
   */
  private void unreachable(Exchange x, Backend backend) {
    EndpointRef ref = x.route.ref();
    EndpointDispatcher<Exchange> d = fleet.dispatcher(ref);
    for (var a : d.unreachable(backend, clock.instant())) {
      forward(a.waiter(), a.backend());
    }
    fleet.depth(ref, d);
    x.attempts++;
    Optional<Duration> pause = RetryPolicy.backoff(x.attempts, untilDeadline(x));
    if (pause.isEmpty() || x.request.response().closed()) {
      UpstreamCall.answerUnreachable(x.request.response());
      refund(x);
      finish(x, 502, Outcome.upstream_failed.name(), null, 0);
      return;
    }
    LOG.info(
        "endpoint {}: backend {}:{} unreachable, request retried in {} ms",
        ref,
        backend.host(),
        backend.port(),
        pause.get().toMillis());
    x.backend = null;
    x.retryTimer =
        vertx.setTimer(
            Math.max(1, pause.get().toMillis()),
            id -> {
              x.retryTimer = -1;
              if (fleet.table().resolve(x.summary.model(), x.principal.project()).isEmpty()) {
                refund(x);
                answer(
                    x,
                    OpenAiError.invalidRequest(
                        404,
                        "model_not_found",
                        "The model was removed while the request waited.",
                        "model"),
                    false);
                return;
              }
              dispatch(x);
            });
    x.request
        .response()
        .closeHandler(
            v -> {
              if (x.retryTimer >= 0) {
                cancelTimers(x);
                refund(x);
                finish(x, 499, "disconnected", null, 0);
              }
            });
  }

  /** What is left of the request's wake deadline, counted from its arrival. */
  private static Duration untilDeadline(Exchange x) {
    long elapsed = System.nanoTime() - x.startNanos;
    return x.route.wakeTimeout().minusNanos(elapsed);
  }

  /** A request left a backend: its slot goes to the next waiter. */
  private void finished(EndpointRef ref, Backend backend) {
    EndpointDispatcher<Exchange> d = fleet.dispatcher(ref);
    List<EndpointDispatcher.Assignment<Exchange>> next = d.done(backend);
    for (var a : next) {
      forward(a.waiter(), a.backend());
    }
    fleet.depth(ref, d);
  }

  private Optional<Principal> authenticate(HttpServerRequest request) {
    List<String> values = request.headers().getAll(HttpHeaders.AUTHORIZATION);
    String message;
    if (values.isEmpty()) {
      message = "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.";
    } else if (values.size() > 1) {
      message = "Send exactly one Authorization header.";
    } else {
      String value = values.get(0).strip();
      if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
        Optional<Principal> p = keys.authenticate(value.substring(7).strip());
        if (p.isPresent()) {
          return p;
        }
      }
      message = "Incorrect API key provided.";
    }
    refuse(
        request,
        new OpenAiError(401, "invalid_request_error", "invalid_api_key", message, null),
        Map.of("WWW-Authenticate", "Bearer"));
    return Optional.empty();
  }

  private void refund(Exchange x) {
    if (x.admission != null && x.admission.admitted() && x.route != null) {
      limiter.settle(
          x.principal.project(), x.route.ref().toString(), x.admission.reservedTokens(), 0);
    }
  }

  private void cancelTimers(Exchange x) {
    if (x.deadlineTimer >= 0) {
      vertx.cancelTimer(x.deadlineTimer);
      x.deadlineTimer = -1;
    }
    if (x.heartbeatTimer >= 0) {
      vertx.cancelTimer(x.heartbeatTimer);
      x.heartbeatTimer = -1;
    }
    if (x.retryTimer >= 0) {
      vertx.cancelTimer(x.retryTimer);
      x.retryTimer = -1;
    }
  }

  private void answer(Exchange x, OpenAiError error, boolean closeAfter) {
    answer(x, error, x.rateHeaders, closeAfter);
  }

  private void answer(
      Exchange x, OpenAiError error, Map<String, String> headers, boolean closeAfter) {
    sendError(x, error, headers, closeAfter);
  }

  /** An error for an exchange: a JSON body, or a final SSE event when heartbeats began a stream. */
  private void sendError(
      Exchange x, OpenAiError error, Map<String, String> headers, boolean closeAfter) {
    HttpServerResponse out = x.request.response();
    if (out.headWritten() && !out.ended() && !out.closed()) {
      out.end("data: " + error.body().encode() + "\n\n");
      finish(x, 200, error.code(), null, 0);
      return;
    }
    send(x.request, error, headers, closeAfter);
    finish(x, error.status(), "refused", null, 0);
  }

  /** An error before any exchange state exists (auth, unknown path): logged and counted too. */
  private void refuse(HttpServerRequest request, OpenAiError error, Map<String, String> headers) {
    send(request, error, headers, false);
    RequestRecord r =
        new RequestRecord(
            request.method().name(),
            request.path(),
            "",
            "",
            "",
            "",
            error.status(),
            false,
            0,
            0,
            false,
            0,
            0,
            0,
            "refused");
    AccessLog.write(r);
    metrics.record(r);
  }

  private static void send(
      HttpServerRequest request,
      OpenAiError error,
      Map<String, String> headers,
      boolean closeAfter) {
    HttpServerResponse out = request.response();
    if (out.ended() || out.closed()) {
      return;
    }
    if (closeAfter) {
      out.putHeader(HttpHeaders.CONNECTION, "close");
    }
    var sent = error.send(out, headers);
    if (closeAfter) {
      // the unread rest of the body must not be taken for the next request on this connection
      sent.onComplete(v -> request.connection().close());
    }
  }

  private void finish(Exchange x, int status, String outcome, Usage usage, long upstreamMillis) {
    RequestRecord r = x.finish(status, outcome, usage, upstreamMillis);
    if (r != null) {
      AccessLog.write(r);
      metrics.record(r);
    }
  }

  private static OpenAiError methodNotAllowed(HttpServerRequest request) {
    return OpenAiError.invalidRequest(
        405,
        "method_not_allowed",
        "Method " + request.method() + " is not allowed on " + request.path() + ".",
        null);
  }
}
