package io.dormouse.ledger.testing;

import io.dormouse.ledger.rows.GpuInterval;
import io.dormouse.ledger.rows.UsageRow;
import java.math.BigDecimal;
import java.time.Instant;

/** Rows for tests, with every field plausible unless a test says otherwise. */
public final class Rows {

  private Rows() {}

  public static UsageRow usage(String id, Instant at) {
    return usage(id, at, "search", "team-a", "llama", 10, 20);
  }

  public static UsageRow usage(
      String id, Instant at, String project, String namespace, String endpoint, int in, int out) {
    return new UsageRow(
        id,
        at,
        namespace,
        endpoint,
        endpoint,
        "meta-llama/Llama-3-8B",
        "spot",
        "127.0.1.1:8000",
        project,
        "dm-abc123",
        in,
        out,
        false,
        200,
        120,
        15,
        0,
        true);
  }

  public static GpuInterval gpu(
      String uid,
      String endpoint,
      String tier,
      int gpus,
      String price,
      Instant start,
      Instant end) {
    return new GpuInterval(
        uid,
        "team-a",
        endpoint,
        tier,
        endpoint + "-" + uid,
        "node-1",
        gpus,
        new BigDecimal(price),
        "USD",
        start,
        end);
  }
}
