package io.dormouse.gateway.http;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;

/**
 * The API on one event loop: its own server on the shared port (Vert.x spreads connections over the
 * loops), its own upstream client and connection pool, its own router and connection sweeper.
 */
final class ApiVerticle extends AbstractVerticle {

  private final Shared shared;
  private HttpServer server;
  private HttpClient upstream;

  ApiVerticle(Shared shared) {
    this.shared = shared;
  }

  @Override
  public void start(Promise<Void> started) {
    GatewayServer.Config config = shared.config();
    ConnectionSweeper sweeper =
        new ConnectionSweeper(
            config.connectionIdleTimeout().toMillis(), config.bodyTimeout().toMillis());
    upstream =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                // one idle check per connection rather than a timer per request
                .setIdleTimeout((int) Math.max(1, config.upstreamIdleTimeout().toSeconds())),
            new PoolOptions().setHttp1MaxSize(1024).setMaxWaitQueueSize(-1));
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.host())
            // port 0 in several loops: a negative port makes them share one random port
            .setPort(config.port() == 0 ? -1 : config.port())
            .setTcpNoDelay(true)
            // HTTP/1.1 only: per-request connection handling (413, 408) must not hit other streams
            .setHttp2ClearTextEnabled(false)
            // no WebSockets here: without these Vert.x leaves the WebSocket extension handler out
            // of the pipeline, which otherwise inspects every request and response
            .setPerFrameWebSocketCompressionSupported(false)
            .setPerMessageWebSocketCompressionSupported(false);
    server =
        vertx
            .createHttpServer(options)
            .connectionHandler(sweeper::opened)
            .requestHandler(ApiRouter.build(shared, context, upstream, sweeper))
            .invalidRequestHandler(InvalidRequests::answer);
    vertx.setPeriodic(sweeper.sweepEveryMillis(), id -> sweeper.sweep());
    server.listen().<Void>mapEmpty().onComplete(started);
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public void stop(Promise<Void> stopped) {
    server.close().compose(v -> upstream.close()).onComplete(stopped);
  }
}
