package io.dormouse.gateway.http;

import io.dormouse.gateway.fleet.LoadReport;
import io.dormouse.gateway.usage.GatewayMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The management port: Prometheus {@code /metrics}, {@code /livez}, {@code /readyz}, the load the
 * operator's autoscaler reads ({@code /load/v1}), and the peer exchange ({@code /peer/v1/state},
 * authenticated by its own handler). Never the public API port.
 */
final class ManagementServer implements Handler<HttpServerRequest> {

  static final String PEER_PATH = "/peer/v1/state";

  private final GatewayMetrics metrics;
  private final BooleanSupplier ready;
  private final Handler<HttpServerRequest> peerMessages;
  private final Supplier<String> load;

  ManagementServer(
      GatewayMetrics metrics,
      BooleanSupplier ready,
      Handler<HttpServerRequest> peerMessages,
      Supplier<String> load) {
    this.metrics = metrics;
    this.ready = ready;
    this.peerMessages = peerMessages;
    this.load = load;
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
      case PEER_PATH -> peerMessages.handle(request);
      case LoadReport.PATH ->
          out.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(load.get());
      default -> out.setStatusCode(404).end();
    }
  }
}
