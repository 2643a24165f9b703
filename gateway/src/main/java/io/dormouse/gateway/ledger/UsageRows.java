package io.dormouse.gateway.ledger;

import io.dormouse.gateway.usage.RequestRecord;
import io.dormouse.ledger.rows.UsageRow;

/**
 * A finished request as the ledger's usage row: only a request that was admitted and sent towards a
 * model has one, however it ended (a 5xx, a 504, a stream cut mid-way, a client gone). Usage the
 * engine did not report (a cut stream, an error) is the gateway's estimate, and marked so.
 */
public final class UsageRows {

  private UsageRows() {}

  /** The row of {@code r}, or null when the request was refused before it was admitted. */
  public static UsageRow of(RequestRecord r) {
    RequestRecord.Admitted a = r.admitted();
    if (a == null) {
      return null;
    }
    int latency = clamp(r.totalMillis());
    return new UsageRow(
        a.requestId(),
        a.at(),
        r.namespace(),
        r.endpoint(),
        a.servedName(),
        a.model(),
        a.tier(),
        a.backend(),
        r.project(),
        r.keyId(),
        clamp(r.promptTokens()),
        clamp(r.completionTokens()),
        !r.usageReported(),
        r.status(),
        latency,
        a.firstByteMillis() < 0 ? null : Math.min(clamp(a.firstByteMillis()), latency),
        Math.min(clamp(r.wakeWaitMillis()), latency),
        r.stream());
  }

  /** Into the column's range; the clocks are monotonic, so only absurd values are cut. */
  private static int clamp(long v) {
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, v));
  }
}
