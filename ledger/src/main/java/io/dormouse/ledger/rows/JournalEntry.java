package io.dormouse.ledger.rows;

import java.time.Instant;
import java.util.UUID;

/**
 * One fleet mutation of an endpoint (Created, SpecChanged, Waking, Ready, TierFallback, ...,
 * Deleted), kept for good.
 *
 * @param id unique per entry: writing the same entry twice stores it once
 * @param kind what happened, a PascalCase word such as {@code Waking}
 * @param tier the tier concerned, or null
 * @param replicas the replicas asked for by the mutation, or null
 * @param reason the status reason in force, or null
 */
public record JournalEntry(
    UUID id,
    Instant at,
    String namespace,
    String endpoint,
    String kind,
    String tier,
    Integer replicas,
    String reason,
    String message)
    implements LedgerRow {}
