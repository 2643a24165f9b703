package io.dormouse.gateway.stages.forward;

import io.dormouse.gateway.backend.Backend;
import io.dormouse.gateway.fleet.EndpointTraffic;
import io.dormouse.gateway.fleet.Fleet;
import io.dormouse.gateway.proxy.Outcome;
import io.dormouse.gateway.proxy.StreamOptions;
import io.dormouse.gateway.proxy.UpstreamCall;
import io.dormouse.gateway.stages.Exchange;
import io.dormouse.gateway.stages.obtain.ObtainBackend;
import io.dormouse.gateway.stages.route.ReadAndRoute;
import io.dormouse.gateway.wake.RetryPolicy;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage five: the request goes to its backend through this event loop's upstream client, and the
 * answer streams back. A backend that vanished before answering is passed over and the request is
 * sent again after a pause (elsewhere, or to a wake) within its deadline, or answered 502.
 */
public final class Forward implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(Forward.class);

  private final Vertx vertx;
  private final HttpClient client;
  private final Fleet fleet;
  private final ObtainBackend obtain;
  private final Clock clock;

  public Forward(Vertx vertx, HttpClient client, Fleet fleet, ObtainBackend obtain, Clock clock) {
    this.vertx = vertx;
    this.client = client;
    this.fleet = fleet;
    this.obtain = obtain;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    forward(ctx, Exchange.of(ctx));
  }

  private void forward(RoutingContext ctx, Exchange x) {
    Backend backend = x.backend;
    EndpointTraffic traffic = fleet.traffic(x.route.ref());
    Buffer body = x.body;
    try {
      if (!x.summary.model().equals(x.route.servedName())) {
        body = Buffer.buffer(StreamOptions.withModel(body.getBytes(), x.route.servedName()));
      }
      if (x.summary.stream()) {
        body = Buffer.buffer(StreamOptions.withUsage(body.getBytes()));
      }
    } catch (IOException e) {
      body = x.body; // parsed before, so this does not happen; forward it untouched if it does
    }
    new UpstreamCall(
            client,
            backend,
            x.response(),
            x.summary.stream(),
            x.summary.clientWantsUsage(),
            x.summary.promptTokens(),
            result -> {
              if (result.retryable()) {
                unreachable(ctx, x, traffic, backend);
                return;
              }
              traffic.done(backend);
              x.finish(
                  result.status(),
                  result.outcome().name(),
                  result.usage(),
                  result.upstreamMillis(),
                  result.firstByteNanos());
            })
        .start(x.request.method(), x.request.uri(), x.request.headers(), body, x.rateLimits);
  }

  private void unreachable(RoutingContext ctx, Exchange x, EndpointTraffic traffic, Backend b) {
    traffic.unreachable(b, clock.instant());
    x.attempts++;
    x.backend = null;
    Optional<Duration> pause = RetryPolicy.backoff(x.attempts, ObtainBackend.untilDeadline(x));
    if (pause.isEmpty() || x.response().closed()) {
      UpstreamCall.answerUnreachable(x.response());
      x.finish(502, Outcome.upstream_failed.name(), null, 0);
      return;
    }
    LOG.info(
        "endpoint {}: backend {}:{} unreachable, request retried in {} ms",
        x.route.ref(),
        b.host(),
        b.port(),
        pause.get().toMillis());
    long timer =
        vertx.setTimer(
            Math.max(1, pause.get().toMillis()),
            id -> {
              if (x.finished()) {
                return;
              }
              if (fleet.table().resolve(x.summary.model(), x.project()).isEmpty()) {
                ctx.fail(ReadAndRoute.notFound(x.summary.model()));
                return;
              }
              obtain
                  .obtain(x)
                  .onSuccess(
                      next -> {
                        x.backend = next;
                        forward(ctx, x);
                      })
                  .onFailure(ctx::fail);
            });
    x.response()
        .closeHandler(
            v -> {
              if (x.backend == null && vertx.cancelTimer(timer)) {
                x.finish(499, "disconnected", null, 0);
              }
            });
  }
}
