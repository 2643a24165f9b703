package io.dormouse.gateway.stages;

import io.dormouse.gateway.auth.Principal;
import io.dormouse.gateway.backend.Backend;
import io.dormouse.gateway.proxy.Usage;
import io.dormouse.gateway.ratelimit.Admission;
import io.dormouse.gateway.ratelimit.RateLimitState;
import io.dormouse.gateway.routing.EndpointRoute;
import io.dormouse.gateway.routing.RequestSummary;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * One request on its way through the stages: what each stage learnt, filled in as it goes. Lives on
 * the event loop that accepted the request; other threads reach it only through {@link #context}.
 */
public final class Exchange {

  private static final String KEY = "dormouse.exchange";

  /**
   * How a request ended, for its accounting.
   *
   * @param firstByteNanos {@link System#nanoTime()} when the engine's answer began, 0 when none did
   */
  public record End(
      int status, String outcome, Usage usage, long upstreamMillis, long firstByteNanos) {}

  public final RoutingContext routing;
  public final HttpServerRequest request;
  public final Context context;
  public final long startNanos = System.nanoTime();

  /** Unique among all requests of all gateways: the usage row's key. */
  public final String id;

  /** When the request arrived, by the gateway's clock. */
  public final java.time.Instant arrivedAt;

  private final Consumer<Exchange> account;

  /** Set by authenticate. */
  public Principal principal;

  /** Set by read-and-route. */
  public RequestSummary summary;

  public Buffer body;
  public EndpointRoute route;

  /** Set by admit. */
  public Admission admission;

  public RateLimitState rateLimits;

  /** Set by obtain-backend; null again while a retry waits. */
  public Backend backend;

  public long queuedAtNanos;
  public long wakeWaitMillis;

  /** Attempts whose backend was gone. */
  public int attempts;

  private End end;

  private Exchange(
      RoutingContext routing,
      Context context,
      Consumer<Exchange> account,
      String id,
      java.time.Instant arrivedAt) {
    this.routing = routing;
    this.id = id;
    this.arrivedAt = arrivedAt;
    this.request = routing.request();
    this.context = context;
    this.account = account;
  }

  /** Starts the exchange of a request; {@code account} runs once when it ends. */
  public static Exchange begin(
      RoutingContext routing,
      Context context,
      Consumer<Exchange> account,
      String id,
      java.time.Instant arrivedAt) {
    Exchange x = new Exchange(routing, context, account, id, arrivedAt);
    routing.put(KEY, x);
    return x;
  }

  public static Exchange of(RoutingContext routing) {
    return routing.get(KEY);
  }

  public HttpServerResponse response() {
    return request.response();
  }

  public boolean finished() {
    return end != null;
  }

  public End end() {
    return end;
  }

  /** True while the request waits for a backend. */
  public boolean waiting() {
    return queuedAtNanos != 0 && backend == null && end == null;
  }

  /** Ends the exchange once and hands it to accounting; later calls do nothing. */
  public void finish(int status, String outcome, Usage usage, long upstreamMillis) {
    finish(status, outcome, usage, upstreamMillis, 0);
  }

  /** Ends the exchange once, with when the engine's answer began; later calls do nothing. */
  public void finish(
      int status, String outcome, Usage usage, long upstreamMillis, long firstByteNanos) {
    if (end != null) {
      return;
    }
    if (queuedAtNanos != 0 && wakeWaitMillis == 0 && backend == null) {
      wakeWaitMillis = (System.nanoTime() - queuedAtNanos) / 1_000_000;
    }
    end = new End(status, outcome, usage, upstreamMillis, firstByteNanos);
    account.accept(this);
  }

  /** The project of the caller, or empty before authentication. */
  public String project() {
    return principal == null ? "" : principal.project();
  }
}
