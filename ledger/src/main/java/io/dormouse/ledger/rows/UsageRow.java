package io.dormouse.ledger.rows;

import java.time.Instant;

/**
 * One request that was admitted and sent towards a model, whatever its end (a 5xx, a 504, a stream
 * cut mid-way, a client gone).
 *
 * @param requestId unique per request: writing the same row twice stores it once
 * @param at when the request arrived (its UTC day is its partition)
 * @param tier the tier that served it, or null when it never reached a backend
 * @param backend the engine replica's address, or null when it never reached one
 * @param usageEstimated true when the engine did not report usage and the gateway estimated it
 * @param ttfbMillis time to the first byte of the answer, or null when none came
 */
public record UsageRow(
    String requestId,
    Instant at,
    String namespace,
    String endpoint,
    String servedName,
    String model,
    String tier,
    String backend,
    String project,
    String keyId,
    int promptTokens,
    int completionTokens,
    boolean usageEstimated,
    int status,
    int latencyMillis,
    Integer ttfbMillis,
    int wakeWaitMillis,
    boolean streamed)
    implements LedgerRow {}
