package io.dormouse.gateway.usage;

/**
 * What one request did, filled in as it goes and written once at its end.
 *
 * @param outcome completed, disconnected, upstream_failed or refused
 * @param admitted what only a request admitted and sent towards a model has (its usage row's other
 *     columns); null for a request refused before that
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
    String outcome,
    Admitted admitted) {

  /**
   * Where an admitted request went.
   *
   * @param requestId unique among every gateway's requests
   * @param tier and {@code backend}: the engine replica that last had it, or null when none did
   * @param firstByteMillis from arrival to the start of the engine's answer, or -1 when none came
   */
  public record Admitted(
      String requestId,
      java.time.Instant at,
      String servedName,
      String model,
      String tier,
      String backend,
      long firstByteMillis) {}
}
