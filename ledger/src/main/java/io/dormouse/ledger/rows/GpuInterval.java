package io.dormouse.ledger.rows;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The GPUs one engine pod held: from being bound to a node until gone ({@code endedAt} null while
 * it runs), at the tier's price in force when it started.
 *
 * <p>Writing is an upsert keyed by the pod's uid: the first write opens the interval, a later one
 * with {@code endedAt} closes it, and repeats change nothing, so an operator restart neither
 * duplicates nor loses an interval.
 */
public record GpuInterval(
    String podUid,
    String namespace,
    String endpoint,
    String tier,
    String pod,
    String node,
    int gpus,
    BigDecimal pricePerGpuHour,
    String currency,
    Instant startedAt,
    Instant endedAt)
    implements LedgerRow {

  public GpuInterval closedAt(Instant end) {
    return new GpuInterval(
        podUid,
        namespace,
        endpoint,
        tier,
        pod,
        node,
        gpus,
        pricePerGpuHour,
        currency,
        startedAt,
        end);
  }
}
