package io.dormouse.ledger.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * The oldest undelivered event of one (subscriber, endpoint): the only one of them that may be
 * sent, so each endpoint's events reach each subscriber in order.
 */
public record Pending(
    UUID id,
    String subscriber,
    String endpointKey,
    String eventType,
    String payload,
    Instant createdAt,
    int attempts,
    Instant nextAttemptAt,
    long seq) {}
