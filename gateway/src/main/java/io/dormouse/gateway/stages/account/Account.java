package io.dormouse.gateway.stages.account;

import io.dormouse.gateway.proxy.Usage;
import io.dormouse.gateway.ratelimit.ProjectLimiter;
import io.dormouse.gateway.stages.Exchange;
import io.dormouse.gateway.usage.AccessLog;
import io.dormouse.gateway.usage.GatewayMetrics;
import io.dormouse.gateway.usage.RequestRecord;
import java.util.function.Consumer;

/**
 * The last stage, run once when an exchange ends however it ends: settles the token reservation
 * against real usage (a refused, failed or abandoned request gives it all back), writes the access
 * line and the metrics, and hands the record to the {@link UsageSink}.
 */
public final class Account implements Consumer<Exchange> {

  private final ProjectLimiter limiter;
  private final AccessLog log;
  private final GatewayMetrics metrics;
  private final UsageSink sink;

  public Account(ProjectLimiter limiter, AccessLog log, GatewayMetrics metrics, UsageSink sink) {
    this.limiter = limiter;
    this.log = log;
    this.metrics = metrics;
    this.sink = sink;
  }

  @Override
  public void accept(Exchange x) {
    Exchange.End end = x.end();
    Usage usage = end.usage();
    if (x.admission != null && x.route != null) {
      limiter.settle(
          x.project(),
          x.route.ref().toString(),
          x.admission.reservedTokens(),
          usage == null ? 0 : usage.total());
    }
    RequestRecord r = record(x, end);
    log.write(r);
    metrics.record(r);
    sink.accept(r);
  }

  static RequestRecord record(Exchange x, Exchange.End end) {
    Usage usage = end.usage();
    long now = System.nanoTime();
    return new RequestRecord(
        x.request.method().name(),
        x.request.path(),
        x.route == null ? "" : x.route.ref().namespace(),
        x.route == null ? "" : x.route.ref().name(),
        x.project(),
        x.principal == null ? "" : x.principal.keyId(),
        end.status(),
        x.summary != null && x.summary.stream(),
        usage == null ? 0 : usage.promptTokens(),
        usage == null ? 0 : usage.completionTokens(),
        usage != null && usage.reported(),
        x.wakeWaitMillis,
        end.upstreamMillis(),
        (now - x.startNanos) / 1_000_000,
        end.outcome(),
        admitted(x, end));
  }

  /** What the usage row needs beyond the access line; null unless the request was admitted. */
  private static RequestRecord.Admitted admitted(Exchange x, Exchange.End end) {
    if (x.admission == null || x.route == null) {
      return null;
    }
    return new RequestRecord.Admitted(
        x.id,
        x.arrivedAt,
        x.route.servedName(),
        x.route.model(),
        x.backend == null ? null : x.backend.tier(),
        x.backend == null ? null : x.backend.id(),
        end.firstByteNanos() == 0 ? -1 : (end.firstByteNanos() - x.startNanos) / 1_000_000);
  }
}
