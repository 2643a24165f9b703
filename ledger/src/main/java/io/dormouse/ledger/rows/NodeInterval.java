package io.dormouse.ledger.rows;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A GPU node's life in a tier's node pool, for node pools Dormouse provisions itself: keyed by the
 * node's uid, upserted like {@link GpuInterval}.
 */
public record NodeInterval(
    String nodeUid,
    String node,
    String tier,
    int gpus,
    BigDecimal pricePerGpuHour,
    String currency,
    Instant startedAt,
    Instant endedAt)
    implements LedgerRow {}
