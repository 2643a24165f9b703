package io.dormouse.gateway.stages.models;

import io.dormouse.gateway.routing.RouteTable;
import io.dormouse.gateway.stages.Exchange;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * {@code GET /v1/models}: the models the caller's project may use (each once, under the name that
 * reaches it), with their phase.
 */
public final class ListModels implements Handler<RoutingContext> {

  private final Supplier<RouteTable> routes;

  public ListModels(Supplier<RouteTable> routes) {
    this.routes = routes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Exchange x = Exchange.of(ctx);
    JsonArray data = new JsonArray();
    for (RouteTable.Listed m : routes.get().visibleTo(x.project())) {
      var r = m.route();
      data.add(
          new JsonObject()
              .put("id", m.id())
              .put("object", "model")
              .put("created", 0)
              .put("owned_by", r.ref().namespace())
              .put("phase", r.phase() == null ? "Unknown" : r.phase().name()));
    }
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("object", "list").put("data", data).encode());
    x.finish(200, "completed", null, 0);
  }
}
