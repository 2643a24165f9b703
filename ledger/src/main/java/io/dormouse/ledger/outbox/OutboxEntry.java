package io.dormouse.ledger.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * One event for one subscriber, as enqueued.
 *
 * @param id the event's id (the same for every subscriber of one event)
 * @param subscriber {@code <namespace>/<webhook>}
 * @param endpointKey {@code <namespace>/<endpoint>}: deliveries keep their order per this key
 * @param payload the CloudEvent, structured JSON
 */
public record OutboxEntry(
    UUID id,
    String subscriber,
    String endpointKey,
    String eventType,
    String payload,
    Instant createdAt) {}
