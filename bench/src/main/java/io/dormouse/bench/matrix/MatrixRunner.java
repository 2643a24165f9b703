package io.dormouse.bench.matrix;

import io.dormouse.bench.BenchPlan;
import io.dormouse.bench.load.LoadMain;
import io.dormouse.bench.load.LoadResult;
import io.dormouse.bench.targets.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the matrix: for each repeat, each cell, each target back to back (rotated), one load
 * generator process, so the generator's CPU is never the target's.
 */
public final class MatrixRunner {

  private static final Logger LOG = LoggerFactory.getLogger(MatrixRunner.class);

  private final BenchPlan plan;
  private final Map<Target, Endpoint> endpoints;
  private final Path logDir;
  private int runs;

  public MatrixRunner(BenchPlan plan, Map<Target, Endpoint> endpoints, Path logDir) {
    this.plan = plan;
    this.endpoints = endpoints;
    this.logDir = logDir;
  }

  /** Loads every target for a while before anything is measured, so JIT compilation is done. */
  public void warmUp(Duration each) throws Exception {
    for (Target t : endpoints.keySet()) {
      for (Cell cell : List.of(Cell.closed(false, 64), Cell.closed(true, 64))) {
        LoadResult r = load(t, cell, Duration.ZERO, each);
        LOG.info(
            "warm-up {} {}: {} req/s, {} errors",
            t.label(),
            cell.name(),
            Math.round(r.throughput()),
            r.errors());
      }
    }
  }

  /** Every repeat of every cell, once {@link #run} returned (the ledger pair reads them). */
  public List<CellRun> runs() {
    List<CellRun> all = new ArrayList<>();
    byCell.values().forEach(all::addAll);
    return all;
  }

  private final Map<Cell, List<CellRun>> byCell = new java.util.LinkedHashMap<>();

  public List<CellComparison> run() throws Exception {
    byCell.clear();
    List<Target> targets = List.copyOf(endpoints.keySet());
    for (int repeat = 0; repeat < plan.repeats(); repeat++) {
      for (int i = 0; i < plan.cells().size(); i++) {
        Cell cell = plan.cells().get(i);
        Map<Target, LoadResult> results = new EnumMap<>(Target.class);
        for (Target t : RunOrder.of(targets, repeat, i)) {
          LoadResult r = load(t, cell, plan.warmup(), plan.duration());
          LOG.info(
              "repeat {} {} {}: {} req/s, P50 {} ms, P99 {} ms, errors {}",
              repeat,
              cell.name(),
              t.label(),
              Math.round(r.throughput()),
              r.latency().p50Ms(),
              r.latency().p99Ms(),
              r.errors());
          results.put(t, r);
        }
        byCell
            .computeIfAbsent(cell, c -> new ArrayList<>())
            .add(new CellRun(cell, repeat, results));
      }
    }
    List<CellComparison> out = new ArrayList<>();
    byCell.forEach((cell, cellRuns) -> out.add(CellComparison.of(cell, cellRuns)));
    return out;
  }

  private LoadResult load(Target target, Cell cell, Duration warmup, Duration duration)
      throws Exception {
    Endpoint e = endpoints.get(target);
    String model = cell.paced() ? e.pacedModel() : e.model();
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--label", target.label(),
            "--url", (cell.paced() ? e.pacedUrl() : e.url()).toString(),
            "--model", model,
            "--body-bytes", "1024",
            "--max-tokens", String.valueOf(BenchPlan.STREAM_TOKENS),
            "--concurrency", String.valueOf(cell.concurrency()),
            "--rate", String.valueOf(cell.ratePerSecond()),
            "--warmup", warmup.toString(),
            "--duration", duration.toString(),
            "--max-requests", String.valueOf(plan.maxRequests()),
            "--watch-pid", String.valueOf(e.pid())));
    // Every answer max_tokens long, so every stream carries that many token chunks.
    args.add("--ignore-eos");
    if (cell.streaming()) {
      args.add("--stream");
    }
    if (e.apiKey() != null) {
      args.add("--api-key");
      args.add(e.apiKey());
    }
    String name = String.format("load-%03d-%s", runs++, target.label());
    try (ChildProcess child =
        ChildProcess.start(
            name,
            ChildProcess.java(
                LoadMain.class.getName(), List.of("-Xmx512m", "-XX:+UseSerialGC"), args),
            Map.of(),
            logDir)) {
      String line =
          child.awaitLine(
              l -> l.startsWith("{\"label\""), warmup.plus(duration).plus(Duration.ofSeconds(90)));
      return LoadResult.fromJson(line);
    }
  }
}
