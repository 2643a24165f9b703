package io.dormouse.gateway.usage;

/**
 * What one request did, filled in as it goes and written once at its end.
 *
 * @param outcome completed, disconnected, upstream_failed or refused
 */
public record RequestRecord(
    String method,
    String path,
    String namespace,
    String endpoint,
    String project,
    String keyId,
    int status,
    boolean stream,
    long promptTokens,
    long completionTokens,
    boolean usageReported,
    long wakeWaitMillis,
    long upstreamMillis,
    long totalMillis,
    String outcome) {}
