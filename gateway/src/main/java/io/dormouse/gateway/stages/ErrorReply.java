package io.dormouse.gateway.stages;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one way the gateway answers with an error: the routing context's failure handler. A {@link
 * Refusal} becomes its OpenAI-shaped body with the rate limit headers known so far, or, when
 * heartbeats already began an event stream, a final SSE error event. Anything else is a 500.
 */
public final class ErrorReply implements Handler<RoutingContext> {

  private final Consumer<HttpServerRequest> lingeringClose;

  /**
   * @param lingeringClose closes a connection whose request body was not read, after reading and
   *     discarding the rest of it (bounded), so the client sees the answer, not a reset
   */
  public ErrorReply(Consumer<HttpServerRequest> lingeringClose) {
    this.lingeringClose = lingeringClose;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Exchange x = Exchange.of(ctx);
    Refusal refusal =
        ctx.failure() instanceof Refusal r
            ? r
            : new Refusal(
                new OpenAiError(
                    500, "server_error", "internal_error", "The gateway failed; retry.", null));
    send(x, ctx, refusal);
  }

  /** Answers {@code refusal} on the exchange (or on a bare context before one exists). */
  public void send(Exchange x, RoutingContext ctx, Refusal refusal) {
    OpenAiError error = refusal.error();
    HttpServerResponse out = ctx.response();
    if (out.headWritten() && !out.ended() && !out.closed()) {
      out.end("data: " + error.body().encode() + "\n\n");
      if (x != null) {
        x.finish(200, error.code(), null, 0);
      }
      return;
    }
    if (!out.ended() && !out.closed()) {
      out.setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
      if (x != null && x.rateLimits != null) {
        x.rateLimits.forEachHeader(out::putHeader);
      }
      for (Map.Entry<String, String> h : refusal.headers().entrySet()) {
        out.putHeader(h.getKey(), h.getValue());
      }
      error.retryHeaders().forEach(out::putHeader);
      if (refusal.closeAfter()) {
        out.putHeader(HttpHeaders.CONNECTION, "close");
      }
      out.end(error.body().toBuffer());
      if (refusal.closeAfter()) {
        lingeringClose.accept(ctx.request());
      }
    }
    if (x != null) {
      x.finish(error.status(), "refused", null, 0);
    }
  }
}
