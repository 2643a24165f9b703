package io.dormouse.ledger.rollup;

import java.math.BigDecimal;

/** GPU-hours and their cost of one (namespace, endpoint, tier, currency) on one day. */
public record GpuDayCost(
    String namespace,
    String endpoint,
    String tier,
    String currency,
    BigDecimal gpuHours,
    BigDecimal cost) {}
