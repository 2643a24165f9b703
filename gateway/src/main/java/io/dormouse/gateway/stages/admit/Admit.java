package io.dormouse.gateway.stages.admit;

import io.dormouse.gateway.ratelimit.Admission;
import io.dormouse.gateway.ratelimit.ProjectLimiter;
import io.dormouse.gateway.routing.EndpointRoute;
import io.dormouse.gateway.stages.Exchange;
import io.dormouse.gateway.stages.OpenAiError;
import io.dormouse.gateway.stages.Refusal;
import io.dormouse.gateway.usage.GatewayMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Stage three: the project's request and token buckets on the endpoint admit the request (one
 * request, and its prompt estimate plus its completion budget in tokens, settled on real usage), or
 * it is refused with 429 and when to retry.
 */
public final class Admit implements Handler<RoutingContext> {

  /** Completion tokens reserved when a request names no max_tokens; settled on real usage. */
  public static final long DEFAULT_COMPLETION_RESERVE = 256;

  private final ProjectLimiter limiter;
  private final GatewayMetrics metrics;

  public Admit(ProjectLimiter limiter, GatewayMetrics metrics) {
    this.limiter = limiter;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Exchange x = Exchange.of(ctx);
    EndpointRoute r = x.route;
    long completion =
        x.summary.maxTokens() != null
            ? x.summary.maxTokens()
            : "/v1/embeddings".equals(x.request.path()) ? 0 : DEFAULT_COMPLETION_RESERVE;
    Admission admission =
        limiter.admit(
            x.project(),
            r.ref().toString(),
            new ProjectLimiter.Limits(r.limits().requestsPerSecond(), r.limits().tokensPerSecond()),
            x.summary.promptTokens() + completion);
    x.rateLimits = admission.state();
    if (admission.admitted()) {
      x.admission = admission;
      ctx.next();
      return;
    }
    metrics.rateLimited(
        r.ref().namespace(), r.ref().name(), x.project(), admission.refusedBy().name());
    // The refusing limit's x-ratelimit-reset-* header tells the same wait, in the same ms.
    long ms = admission.retryAfterNanos() / 1_000_000;
    ctx.fail(
        new Refusal(
            new OpenAiError(
                429,
                admission.refusedBy().name(),
                "rate_limit_exceeded",
                "Rate limit reached for "
                    + admission.refusedBy().name()
                    + " on model "
                    + r.servedName()
                    + " for project "
                    + x.project()
                    + ". Retry after "
                    + ms
                    + " ms.",
                null),
            Map.of("Retry-After", Long.toString((ms + 999) / 1000), "retry-after-ms", "" + ms),
            false));
  }
}
