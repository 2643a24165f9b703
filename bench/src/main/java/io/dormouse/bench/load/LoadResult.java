package io.dormouse.bench.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The outcome of one load run, printed by the generator as one JSON line.
 *
 * @param eventsPerResponse server-sent events per streamed response (0 when not streaming)
 * @param readsPerResponse network reads per streamed response; well below the events of the direct
 *     run means a proxy coalesced chunks
 * @param targetCpuPerRequestUs CPU time the watched process used per measured request
 */
public record LoadResult(
    String label,
    String mode,
    int concurrency,
    double ratePerSecond,
    boolean streaming,
    long requests,
    long errors,
    double seconds,
    double throughput,
    LatencySummary latency,
    LatencySummary timeToFirstChunk,
    LatencySummary interChunkGap,
    double eventsPerResponse,
    double readsPerResponse,
    double targetCpuSeconds,
    double targetCpuPerRequestUs,
    double targetCpuCores,
    double targetRssMb) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a record of numbers and strings always serializes", e);
    }
  }

  public static LoadResult fromJson(String line) {
    try {
      return JSON.readValue(line, LoadResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a load result: " + line, e);
    }
  }
}
