package io.dormouse.bench.matrix;

import io.dormouse.bench.load.LoadResult;
import java.util.List;

/**
 * What one cell says about the gateway, as medians of per-repeat figures. Latencies in ms,
 * throughput in requests/s, "added" = gateway minus direct within the same repeat.
 */
public record CellComparison(
    String cell,
    boolean streaming,
    int concurrency,
    double ratePerSecond,
    int repeats,
    double directThroughput,
    double gatewayThroughput,
    double nginxThroughput,
    double directP50,
    double directP99,
    double directP999,
    double gatewayP50,
    double gatewayP99,
    double gatewayP999,
    double nginxP50,
    double nginxP99,
    double nginxP999,
    double gatewayAddedP50,
    double gatewayAddedP99,
    double gatewayAddedP999,
    double nginxAddedP50,
    double nginxAddedP99,
    double throughputRatioToNginx,
    double p99RatioToNginx,
    double ttftAddedP50,
    double ttftAddedP99,
    double gapAddedP50,
    double gapAddedP99,
    double directEventsPerResponse,
    double gatewayEventsPerResponse,
    double directReadsPerResponse,
    double gatewayReadsPerResponse,
    double gatewayCpuPerRequestUs,
    double gatewayCpuCores,
    double gatewayRssMb,
    long errors) {

  public static CellComparison of(Cell cell, List<CellRun> runs) {
    boolean withNginx = runs.stream().allMatch(r -> r.has(Target.NGINX));
    return new CellComparison(
        cell.name(),
        cell.streaming(),
        cell.concurrency(),
        cell.ratePerSecond(),
        runs.size(),
        med(runs, Target.DIRECT, LoadResult::throughput),
        med(runs, Target.GATEWAY, LoadResult::throughput),
        withNginx ? med(runs, Target.NGINX, LoadResult::throughput) : Double.NaN,
        med(runs, Target.DIRECT, r -> r.latency().p50Ms()),
        med(runs, Target.DIRECT, r -> r.latency().p99Ms()),
        med(runs, Target.DIRECT, r -> r.latency().p999Ms()),
        med(runs, Target.GATEWAY, r -> r.latency().p50Ms()),
        med(runs, Target.GATEWAY, r -> r.latency().p99Ms()),
        med(runs, Target.GATEWAY, r -> r.latency().p999Ms()),
        withNginx ? med(runs, Target.NGINX, r -> r.latency().p50Ms()) : Double.NaN,
        withNginx ? med(runs, Target.NGINX, r -> r.latency().p99Ms()) : Double.NaN,
        withNginx ? med(runs, Target.NGINX, r -> r.latency().p999Ms()) : Double.NaN,
        added(runs, Target.GATEWAY, r -> r.latency().p50Ms()),
        added(runs, Target.GATEWAY, r -> r.latency().p99Ms()),
        added(runs, Target.GATEWAY, r -> r.latency().p999Ms()),
        withNginx ? added(runs, Target.NGINX, r -> r.latency().p50Ms()) : Double.NaN,
        withNginx ? added(runs, Target.NGINX, r -> r.latency().p99Ms()) : Double.NaN,
        withNginx
            ? Paired.median(
                runs,
                r ->
                    Paired.ratio(
                        r.of(Target.GATEWAY).throughput(), r.of(Target.NGINX).throughput()))
            : Double.NaN,
        withNginx
            ? Paired.median(
                runs,
                r ->
                    Paired.ratio(
                        r.of(Target.GATEWAY).latency().p99Ms(),
                        r.of(Target.NGINX).latency().p99Ms()))
            : Double.NaN,
        cell.streaming()
            ? added(runs, Target.GATEWAY, r -> r.timeToFirstChunk().p50Ms())
            : Double.NaN,
        cell.streaming()
            ? added(runs, Target.GATEWAY, r -> r.timeToFirstChunk().p99Ms())
            : Double.NaN,
        cell.streaming() ? added(runs, Target.GATEWAY, r -> r.interChunkGap().p50Ms()) : Double.NaN,
        cell.streaming() ? added(runs, Target.GATEWAY, r -> r.interChunkGap().p99Ms()) : Double.NaN,
        med(runs, Target.DIRECT, LoadResult::eventsPerResponse),
        med(runs, Target.GATEWAY, LoadResult::eventsPerResponse),
        med(runs, Target.DIRECT, LoadResult::readsPerResponse),
        med(runs, Target.GATEWAY, LoadResult::readsPerResponse),
        med(runs, Target.GATEWAY, LoadResult::targetCpuPerRequestUs),
        med(runs, Target.GATEWAY, LoadResult::targetCpuCores),
        runs.stream().mapToDouble(r -> r.of(Target.GATEWAY).targetRssMb()).max().orElse(0),
        runs.stream()
            .flatMap(r -> r.results().values().stream())
            .mapToLong(LoadResult::errors)
            .sum());
  }

  private static double med(
      List<CellRun> runs, Target target, java.util.function.ToDoubleFunction<LoadResult> f) {
    return Paired.median(runs, r -> f.applyAsDouble(r.of(target)));
  }

  private static double added(
      List<CellRun> runs, Target target, java.util.function.ToDoubleFunction<LoadResult> f) {
    return Paired.median(
        runs, r -> f.applyAsDouble(r.of(target)) - f.applyAsDouble(r.of(Target.DIRECT)));
  }
}
