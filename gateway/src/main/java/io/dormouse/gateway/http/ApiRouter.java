package io.dormouse.gateway.http;

import io.dormouse.gateway.stages.ErrorReply;
import io.dormouse.gateway.stages.Exchange;
import io.dormouse.gateway.stages.OpenAiError;
import io.dormouse.gateway.stages.Refusal;
import io.dormouse.gateway.stages.admit.Admit;
import io.dormouse.gateway.stages.authenticate.Authenticate;
import io.dormouse.gateway.stages.forward.Forward;
import io.dormouse.gateway.stages.models.ListModels;
import io.dormouse.gateway.stages.obtain.ObtainBackend;
import io.dormouse.gateway.stages.route.ReadAndRoute;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The OpenAI-compatible API of one event loop as a Vert.x Web router: authenticate ▸ read and route
 * ▸ admit ▸ obtain a backend ▸ forward, and accounting when each exchange ends. Errors of every
 * stage are answered by {@link ErrorReply}.
 */
final class ApiRouter {

  static final List<String> INFERENCE_PATHS =
      List.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings");

  private ApiRouter() {}

  static Router build(
      Shared shared, Context context, HttpClient upstream, ConnectionSweeper sweeper) {
    Router router = Router.router(shared.vertx());
    ErrorReply errors = new ErrorReply(shared.lingeringClose()::close);
    Consumer<Exchange> end =
        x -> {
          shared.account().accept(x);
          shared.inFlight().decrementAndGet();
          sweeper.requestEnded(x.request.connection());
        };
    Authenticate authenticate = new Authenticate(shared.keys());
    ObtainBackend obtain =
        new ObtainBackend(
            shared.vertx(),
            shared.fleet(),
            shared.wakeSignal(),
            shared.clock(),
            shared.config().heartbeatAfter(),
            shared.config().heartbeatEvery());
    ReadAndRoute read =
        new ReadAndRoute(shared.config().maxBodyBytes(), sweeper, shared.fleet()::table);
    Admit admit = new Admit(shared.limiter(), shared.metrics());
    Forward forward = new Forward(shared.vertx(), upstream, shared.fleet(), obtain, shared.clock());

    router
        .route()
        .handler(
            ctx -> {
              Exchange.begin(
                  ctx, context, end, shared.requestIds().next(), shared.clock().instant());
              shared.inFlight().incrementAndGet();
              sweeper.requestStarted(ctx.request().connection());
              if (shared.draining()) {
                ctx.fail(
                    new Refusal(
                        new OpenAiError(
                            503,
                            "service_unavailable",
                            "shutting_down",
                            "The gateway is shutting down; retry.",
                            null),
                        Map.of(),
                        true));
                return;
              }
              ctx.next();
            });
    for (String path : INFERENCE_PATHS) {
      router
          .post(path)
          .handler(authenticate)
          .handler(read)
          .handler(admit)
          .handler(obtain)
          .handler(forward);
      router.route(path).handler(methodNotAllowed("POST"));
    }
    router.get("/v1/models").handler(authenticate).handler(new ListModels(shared.fleet()::table));
    router.route("/v1/models").handler(methodNotAllowed("GET"));
    router
        .route()
        .handler(
            ctx ->
                ctx.fail(
                    new Refusal(
                        OpenAiError.invalidRequest(
                            404,
                            "unknown_url",
                            "Unknown request URL: "
                                + ctx.request().method()
                                + " "
                                + ctx.request().path(),
                            null))));
    router.route().failureHandler(errors);
    return router;
  }

  private static Handler<RoutingContext> methodNotAllowed(String allowed) {
    return ctx -> {
      HttpMethod method = ctx.request().method();
      ctx.fail(
          new Refusal(
              OpenAiError.invalidRequest(
                  405,
                  "method_not_allowed",
                  "Method " + method + " is not allowed on " + ctx.request().path() + ".",
                  null),
              Map.of("Allow", allowed),
              false));
    };
  }
}
