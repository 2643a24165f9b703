package io.dormouse.ledger.report;

import java.math.BigDecimal;

/**
 * What an endpoint's status shows: today's requests and tokens, today's and this month's cost
 * (decimal, in {@code currency}; empty currency when no GPU time was recorded).
 */
public record EndpointTotals(
    String namespace,
    String endpoint,
    long requestsToday,
    long inputTokensToday,
    long outputTokensToday,
    BigDecimal costToday,
    BigDecimal costMonth,
    String currency) {}
