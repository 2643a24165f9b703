package io.dormouse.gateway.stages.obtain;

import io.dormouse.gateway.backend.Backend;
import io.dormouse.gateway.fleet.EndpointTraffic;
import io.dormouse.gateway.fleet.Fleet;
import io.dormouse.gateway.routing.EndpointRef;
import io.dormouse.gateway.stages.Exchange;
import io.dormouse.gateway.stages.OpenAiError;
import io.dormouse.gateway.stages.Refusal;
import io.dormouse.gateway.wake.EndpointDispatcher;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stage four: a backend with a free slot now, or a wait for one as a {@link Future}. A wait signals
 * the endpoint's wake (once per wake, whatever the number of waiters and event loops), sends
 * heartbeats to a waiting stream, and ends with 504 at the endpoint's {@code wakeTimeout}, 503 when
 * the endpoint fails or its queue is full, or nothing when the client leaves.
 */
public final class ObtainBackend implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final Fleet fleet;
  private final Consumer<EndpointRef> wakeSignal;
  private final Clock clock;
  private final Duration heartbeatAfter;
  private final Duration heartbeatEvery;

  public ObtainBackend(
      Vertx vertx,
      Fleet fleet,
      Consumer<EndpointRef> wakeSignal,
      Clock clock,
      Duration heartbeatAfter,
      Duration heartbeatEvery) {
    this.vertx = vertx;
    this.fleet = fleet;
    this.wakeSignal = wakeSignal;
    this.clock = clock;
    this.heartbeatAfter = heartbeatAfter;
    this.heartbeatEvery = heartbeatEvery;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Exchange x = Exchange.of(ctx);
    obtain(x)
        .onSuccess(
            backend -> {
              x.backend = backend;
              ctx.next();
            })
        .onFailure(ctx::fail);
  }

  /** A backend for the exchange: at once when one has room, else when the wait ends. */
  public Future<Backend> obtain(Exchange x) {
    EndpointTraffic traffic = fleet.traffic(x.route.ref());
    Wait wait = new Wait(x, traffic);
    var submitted = traffic.submit(wait, clock.instant());
    if (submitted instanceof EndpointDispatcher.Dispatch dispatch) {
      return Future.succeededFuture(dispatch.backend());
    }
    if (submitted instanceof EndpointDispatcher.Refused refused) {
      if (refused.reason() == EndpointDispatcher.Refusal.ENDPOINT_FAILED) {
        return Future.failedFuture(Fleet.endpointFailed(x.route));
      }
      return Future.failedFuture(
          new Refusal(
              new OpenAiError(
                  503,
                  "service_unavailable",
                  "queue_full",
                  "Too many requests are waiting for the model "
                      + x.route.servedName()
                      + "; retry shortly.",
                  null),
              Map.of(),
              false));
    }
    if (((EndpointDispatcher.Queued) submitted).signalWake()) {
      wakeSignal.accept(x.route.ref());
    }
    return wait.start();
  }

  /** What is left of the request's wake deadline, counted from its arrival. */
  public static Duration untilDeadline(Exchange x) {
    long elapsed = System.nanoTime() - x.startNanos;
    return x.route.wakeTimeout().minusNanos(elapsed);
  }

  /** One request's wait, on its own event loop. */
  private final class Wait implements EndpointTraffic.Waiter {
    private final Exchange x;
    private final EndpointTraffic traffic;
    private final Promise<Backend> promise = Promise.promise();
    private long deadlineTimer = -1;
    private long heartbeatTimer = -1;

    Wait(Exchange x, EndpointTraffic traffic) {
      this.x = x;
      this.traffic = traffic;
    }

    @Override
    public io.vertx.core.Context context() {
      return x.context;
    }

    Future<Backend> start() {
      if (x.queuedAtNanos == 0) {
        x.queuedAtNanos = System.nanoTime();
      }
      deadlineTimer = vertx.setTimer(Math.max(1, untilDeadline(x).toMillis()), id -> deadline());
      if (x.summary.stream()) {
        heartbeatTimer = vertx.setTimer(heartbeatAfter.toMillis(), id -> heartbeat());
      }
      x.response()
          .closeHandler(
              v -> {
                if (!promise.future().isComplete() && traffic.withdraw(this)) {
                  cancelTimers();
                  x.finish(499, "disconnected", null, 0);
                }
              });
      return promise.future();
    }

    @Override
    public void assigned(Backend backend) {
      cancelTimers();
      if (x.finished() || x.response().closed() || !promise.tryComplete(backend)) {
        traffic.done(backend); // nobody to send: the slot goes to the next waiter
        return;
      }
      x.wakeWaitMillis = (System.nanoTime() - x.queuedAtNanos) / 1_000_000;
    }

    @Override
    public void refused(Refusal refusal) {
      cancelTimers();
      promise.tryFail(refusal);
    }

    /**
     * The wait hit {@code wakeTimeout}. SDKs must not retry this ({@code x-should-retry: false}): a
     * retry would only wait as long again. No {@code Retry-After}, which would say the opposite.
     */
    private void deadline() {
      deadlineTimer = -1;
      if (!traffic.withdraw(this)) {
        return;
      }
      cancelTimers();
      long seconds = x.route.wakeTimeout().toSeconds();
      OpenAiError error =
          traffic.hasReadyBackend()
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
      promise.tryFail(new Refusal(error)); // its retry story: x-should-retry: false
    }

    private void heartbeat() {
      heartbeatTimer = -1;
      HttpServerResponse out = x.response();
      if (promise.future().isComplete() || out.closed()) {
        return;
      }
      if (!out.headWritten()) {
        out.setStatusCode(200)
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        if (x.rateLimits != null) {
          x.rateLimits.forEachHeader(out::putHeader);
        }
        out.setChunked(true);
      }
      out.write(": waiting for the model to wake\n\n");
      heartbeatTimer = vertx.setTimer(heartbeatEvery.toMillis(), id -> heartbeat());
    }

    private void cancelTimers() {
      if (deadlineTimer >= 0) {
        vertx.cancelTimer(deadlineTimer);
        deadlineTimer = -1;
      }
      if (heartbeatTimer >= 0) {
        vertx.cancelTimer(heartbeatTimer);
        heartbeatTimer = -1;
      }
    }
  }
}
