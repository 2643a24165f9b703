package io.dormouse.gateway.http;

import io.dormouse.gateway.auth.Principal;
import io.dormouse.gateway.backend.Backend;
import io.dormouse.gateway.proxy.Usage;
import io.dormouse.gateway.ratelimit.Admission;
import io.dormouse.gateway.routing.EndpointRoute;
import io.dormouse.gateway.routing.RequestSummary;
import io.dormouse.gateway.usage.RequestRecord;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/** One inference request on its way through the gateway. Lives on the event loop. */
final class Exchange {

  final HttpServerRequest request;

  /** Counts the request out of the in-flight total, once; graceful shutdown waits on that. */
  final Runnable release;

  final long startNanos = System.nanoTime();
  Principal principal;
  RequestSummary summary;
  Buffer body;
  EndpointRoute route;
  Admission admission;
  Map<String, String> rateHeaders = Map.of();
  long queuedAtNanos;
  long wakeWaitMillis;
  long deadlineTimer = -1;
  long heartbeatTimer = -1;
  long retryTimer = -1;

  /** Attempts that found their backend gone. */
  int attempts;

  Backend backend;
  private boolean finished;

  Exchange(HttpServerRequest request, Runnable release) {
    this.request = request;
    this.release = release;
  }

  boolean waiting() {
    return queuedAtNanos != 0 && backend == null && !finished;
  }

  boolean finished() {
    return finished;
  }

  static OpenAiError endpointFailed(EndpointRoute route) {
    String why = route.message() == null || route.message().isBlank() ? "" : ": " + route.message();
    return new OpenAiError(
        503,
        "service_unavailable",
        "endpoint_failed",
        "The model " + route.servedName() + " cannot be woken" + why,
        null);
  }

  /** Marks the exchange finished and describes it; null when it already was. */
  RequestRecord finish(int status, String outcome, Usage usage, long upstreamMillis) {
    if (finished) {
      return null;
    }
    finished = true;
    release.run();
    return new RequestRecord(
        request.method().name(),
        request.path(),
        route == null ? "" : route.ref().namespace(),
        route == null ? "" : route.ref().name(),
        principal == null ? "" : principal.project(),
        principal == null ? "" : principal.keyId(),
        status,
        summary != null && summary.stream(),
        usage == null ? 0 : usage.promptTokens(),
        usage == null ? 0 : usage.completionTokens(),
        usage != null && usage.reported(),
        wakeWaitMillis,
        upstreamMillis,
        (System.nanoTime() - startNanos) / 1_000_000,
        outcome);
  }
}
