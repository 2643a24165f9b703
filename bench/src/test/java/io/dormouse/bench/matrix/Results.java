package io.dormouse.bench.matrix;

import io.dormouse.bench.load.LatencySummary;
import io.dormouse.bench.load.LoadResult;
import java.util.Map;

/** Hand-made load results for the comparison tests. */
final class Results {

  private Results() {}

  static LoadResult result(double throughput, double p50, double p99, double ttft50, double reads) {
    return new LoadResult(
        "t",
        "closed",
        1,
        0,
        true,
        1000,
        0,
        5,
        throughput,
        new LatencySummary(1000, p50, p99, p99 * 2, p99 * 3, p50),
        new LatencySummary(1000, ttft50, ttft50 * 2, ttft50 * 3, ttft50 * 4, ttft50),
        new LatencySummary(63000, 0.01, 0.05, 0.1, 0.2, 0.02),
        66,
        reads,
        0.5,
        500,
        0.1,
        200);
  }

  static CellRun run(
      Cell cell, int repeat, LoadResult direct, LoadResult gateway, LoadResult nginx) {
    return new CellRun(
        cell, repeat, Map.of(Target.DIRECT, direct, Target.GATEWAY, gateway, Target.NGINX, nginx));
  }
}
