package io.dormouse.gateway.stages.route;

import io.dormouse.gateway.routing.BadRequest;
import io.dormouse.gateway.routing.RequestSummaryParser;
import io.dormouse.gateway.routing.RouteTable;
import io.dormouse.gateway.stages.Exchange;
import io.dormouse.gateway.stages.IdleWatch;
import io.dormouse.gateway.stages.OpenAiError;
import io.dormouse.gateway.stages.Refusal;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Stage two: the body is JSON of a bounded size, names a model, and the model is an endpoint the
 * caller's project may use. Refuses with 415, 413, 408, 400 or 404.
 */
public final class ReadAndRoute implements Handler<RoutingContext> {

  private final long maxBodyBytes;
  private final IdleWatch idle;
  private final Supplier<RouteTable> routes;

  public ReadAndRoute(long maxBodyBytes, IdleWatch idle, Supplier<RouteTable> routes) {
    this.maxBodyBytes = maxBodyBytes;
    this.idle = idle;
    this.routes = routes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).strip().startsWith("application/json")) {
      ctx.fail(
          new Refusal(
              OpenAiError.invalidRequest(
                  415,
                  "unsupported_media_type",
                  "The request body must be application/json.",
                  null),
              Map.of(),
              true));
      return;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && tooLong(length)) {
      ctx.fail(BodyReader.tooLarge(maxBodyBytes));
      return;
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue(); // only now, so no body is invited before auth
    }
    Exchange x = Exchange.of(ctx);
    BodyReader.read(request, maxBodyBytes, idle)
        .onSuccess(
            body -> {
              x.body = body;
              route(ctx, x);
            })
        .onFailure(ctx::fail);
  }

  private void route(RoutingContext ctx, Exchange x) {
    try {
      x.summary = RequestSummaryParser.parse(x.body.getBytes());
    } catch (BadRequest e) {
      ctx.fail(new Refusal(OpenAiError.invalidRequest(400, e.code(), e.getMessage(), e.param())));
      return;
    }
    var route = routes.get().resolve(x.summary.model(), x.project());
    if (route.isEmpty()) {
      ctx.fail(notFound(x.summary.model()));
      return;
    }
    x.route = route.get();
    ctx.next();
  }

  /** The model is unknown to this project, or was removed. */
  public static Refusal notFound(String model) {
    return new Refusal(
        OpenAiError.invalidRequest(
            404,
            "model_not_found",
            "The model `"
                + model
                + "` does not exist or you do not have access to it."
                + " GET /v1/models lists the models this key may use.",
            "model"));
  }

  private boolean tooLong(String length) {
    try {
      return Long.parseLong(length.strip()) > maxBodyBytes;
    } catch (NumberFormatException e) {
      return false; // Netty refuses a malformed Content-Length before we see the request
    }
  }
}
