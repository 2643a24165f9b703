package io.dormouse.bench.matrix;

import io.dormouse.bench.load.LoadResult;
import java.util.List;
import java.util.function.ToDoubleFunction;

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
    long errors,
    double nginxAutoThroughput,
    double nginxAutoP50,
    double nginxAutoP99,
    double nginxAutoAddedP50,
    double throughputRatioToNginxAuto,
    double p99RatioToNginxAuto,
    double nginxTtftAddedP50,
    double nginxAutoTtftAddedP50,
    double nginxCpuPerRequestUs,
    double nginxAutoCpuPerRequestUs,
    double cpuRatioToNginxAuto) {

  public static CellComparison of(Cell cell, List<CellRun> runs) {
    boolean streaming = cell.streaming();
    return new CellComparison(
        cell.name(),
        streaming,
        cell.concurrency(),
        cell.ratePerSecond(),
        runs.size(),
        med(runs, Target.DIRECT, LoadResult::throughput),
        med(runs, Target.GATEWAY, LoadResult::throughput),
        med(runs, Target.NGINX, LoadResult::throughput),
        med(runs, Target.DIRECT, r -> r.latency().p50Ms()),
        med(runs, Target.DIRECT, r -> r.latency().p99Ms()),
        med(runs, Target.DIRECT, r -> r.latency().p999Ms()),
        med(runs, Target.GATEWAY, r -> r.latency().p50Ms()),
        med(runs, Target.GATEWAY, r -> r.latency().p99Ms()),
        med(runs, Target.GATEWAY, r -> r.latency().p999Ms()),
        med(runs, Target.NGINX, r -> r.latency().p50Ms()),
        med(runs, Target.NGINX, r -> r.latency().p99Ms()),
        med(runs, Target.NGINX, r -> r.latency().p999Ms()),
        added(runs, Target.GATEWAY, r -> r.latency().p50Ms()),
        added(runs, Target.GATEWAY, r -> r.latency().p99Ms()),
        added(runs, Target.GATEWAY, r -> r.latency().p999Ms()),
        added(runs, Target.NGINX, r -> r.latency().p50Ms()),
        added(runs, Target.NGINX, r -> r.latency().p99Ms()),
        Paired.median(
            runs,
            r ->
                Paired.ratio(
                    value(r, Target.GATEWAY, LoadResult::throughput),
                    value(r, Target.NGINX, LoadResult::throughput))),
        Paired.median(
            runs,
            r ->
                Paired.ratio(
                    value(r, Target.GATEWAY, x -> x.latency().p99Ms()),
                    value(r, Target.NGINX, x -> x.latency().p99Ms()))),
        streaming ? added(runs, Target.GATEWAY, r -> r.timeToFirstChunk().p50Ms()) : Double.NaN,
        streaming ? added(runs, Target.GATEWAY, r -> r.timeToFirstChunk().p99Ms()) : Double.NaN,
        streaming ? added(runs, Target.GATEWAY, r -> r.interChunkGap().p50Ms()) : Double.NaN,
        streaming ? added(runs, Target.GATEWAY, r -> r.interChunkGap().p99Ms()) : Double.NaN,
        med(runs, Target.DIRECT, LoadResult::eventsPerResponse),
        med(runs, Target.GATEWAY, LoadResult::eventsPerResponse),
        med(runs, Target.DIRECT, LoadResult::readsPerResponse),
        med(runs, Target.GATEWAY, LoadResult::readsPerResponse),
        med(runs, Target.GATEWAY, LoadResult::targetCpuPerRequestUs),
        med(runs, Target.GATEWAY, LoadResult::targetCpuCores),
        runs.stream()
            .mapToDouble(r -> value(r, Target.GATEWAY, LoadResult::targetRssMb))
            .filter(v -> !Double.isNaN(v))
            .max()
            .orElse(Double.NaN),
        runs.stream()
            .flatMap(r -> r.results().values().stream())
            .mapToLong(LoadResult::errors)
            .sum(),
        med(runs, Target.NGINX_AUTO, LoadResult::throughput),
        med(runs, Target.NGINX_AUTO, r -> r.latency().p50Ms()),
        med(runs, Target.NGINX_AUTO, r -> r.latency().p99Ms()),
        added(runs, Target.NGINX_AUTO, r -> r.latency().p50Ms()),
        Paired.median(
            runs,
            r ->
                Paired.ratio(
                    value(r, Target.GATEWAY, LoadResult::throughput),
                    value(r, Target.NGINX_AUTO, LoadResult::throughput))),
        Paired.median(
            runs,
            r ->
                Paired.ratio(
                    value(r, Target.GATEWAY, x -> x.latency().p99Ms()),
                    value(r, Target.NGINX_AUTO, x -> x.latency().p99Ms()))),
        streaming ? added(runs, Target.NGINX, r -> r.timeToFirstChunk().p50Ms()) : Double.NaN,
        streaming ? added(runs, Target.NGINX_AUTO, r -> r.timeToFirstChunk().p50Ms()) : Double.NaN,
        med(runs, Target.NGINX, LoadResult::targetCpuPerRequestUs),
        med(runs, Target.NGINX_AUTO, LoadResult::targetCpuPerRequestUs),
        Paired.median(
            runs,
            r ->
                Paired.ratio(
                    value(r, Target.GATEWAY, LoadResult::targetCpuPerRequestUs),
                    value(r, Target.NGINX_AUTO, LoadResult::targetCpuPerRequestUs))));
  }

  /** A target's figure in one run; NaN when the target did not run, so medians skip it. */
  private static double value(CellRun run, Target target, ToDoubleFunction<LoadResult> f) {
    return run.has(target) ? f.applyAsDouble(run.of(target)) : Double.NaN;
  }

  private static double med(List<CellRun> runs, Target target, ToDoubleFunction<LoadResult> f) {
    return Paired.median(runs, r -> value(r, target, f));
  }

  private static double added(List<CellRun> runs, Target target, ToDoubleFunction<LoadResult> f) {
    return Paired.median(runs, r -> value(r, target, f) - value(r, Target.DIRECT, f));
  }
}
