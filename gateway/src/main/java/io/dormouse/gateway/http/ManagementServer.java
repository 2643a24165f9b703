package io.dormouse.gateway.http;

import io.dormouse.gateway.usage.GatewayMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;

/** The management port: Prometheus {@code /metrics}, {@code /livez} and {@code /readyz}. */
final class ManagementServer implements Handler<HttpServerRequest> {

  private final GatewayMetrics metrics;
  private final BooleanSupplier ready;

  ManagementServer(GatewayMetrics metrics, BooleanSupplier ready) {
    this.metrics = metrics;
    this.ready = ready;
  }

  @Override
  public void handle(HttpServerRequest request) {
    var out = request.response();
    switch (request.path()) {
      case "/metrics" ->
          out.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
              .end(metrics.scrape());
      case "/livez" -> out.end("ok\n");
      case "/readyz" -> {
        boolean ok = ready.getAsBoolean();
        out.setStatusCode(ok ? 200 : 503).end(ok ? "ok\n" : "not ready\n");
      }
      default -> out.setStatusCode(404).end();
    }
  }
}
