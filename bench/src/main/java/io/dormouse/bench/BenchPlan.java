package io.dormouse.bench;

import io.dormouse.bench.matrix.Cell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How much of everything one run does. Quick: a few minutes, enough to see every figure once per
 * target pair; full: more repeats and longer windows, for the published table.
 *
 * @param warmup unrecorded load before each measured window
 * @param jitWarmup load on each target before the first measurement: a JVM (the gateway, the engine
 *     simulator) keeps compiling hot code for tens of seconds, and that compilation is start-up,
 *     not the steady state the matrix measures
 */
public record BenchPlan(
    String mode,
    int repeats,
    Duration warmup,
    Duration jitWarmup,
    Duration duration,
    long maxRequests,
    List<Cell> cells,
    int wakeTrials,
    int waiters,
    int operatorEndpoints,
    Duration operatorWindow) {

  /** The paced engine's speed: 1 ms between tokens, so each chunk leaves it on its own. */
  public static final double PACED_TOKENS_PER_SECOND = 1000;

  /**
   * The operator's quiet window is longer than its 60 s resync, so every endpoint is reconciled in
   * it at least once and CPU per reconcile is measurable.
   */
  public static final Duration OPERATOR_RESYNC = Duration.ofSeconds(60);

  /**
   * Completion tokens of every response, plain or streamed (then one chunk each): the request asks
   * for them with {@code max_tokens} and {@code ignore_eos}.
   */
  public static final int STREAM_TOKENS = 64;

  public static BenchPlan quick() {
    return new BenchPlan(
        "quick",
        2,
        Duration.ofSeconds(1),
        Duration.ofSeconds(15),
        Duration.ofSeconds(3),
        200_000,
        cells(400),
        5,
        1000,
        1000,
        Duration.ofSeconds(65));
  }

  public static BenchPlan full() {
    return new BenchPlan(
        "full",
        5,
        Duration.ofSeconds(3),
        Duration.ofSeconds(40),
        Duration.ofSeconds(10),
        2_000_000,
        cells(800),
        10,
        1000,
        1000,
        Duration.ofSeconds(130));
  }

  /**
   * The same plan with only the cells whose names contain one of {@code names} (e.g. "1KB c=64"),
   * for a short experiment; an empty list keeps every cell.
   */
  public BenchPlan onlyCells(List<String> names) {
    if (names == null || names.isEmpty()) {
      return this;
    }
    List<Cell> kept =
        cells.stream().filter(c -> names.stream().anyMatch(n -> c.name().equals(n))).toList();
    if (kept.isEmpty()) {
      throw new IllegalArgumentException(
          "no cell is named " + names + "; cells: " + cells.stream().map(Cell::name).toList());
    }
    return new BenchPlan(
        mode,
        repeats,
        warmup,
        jitWarmup,
        duration,
        maxRequests,
        kept,
        wakeTrials,
        waiters,
        operatorEndpoints,
        operatorWindow);
  }

  public static BenchPlan named(String mode) {
    return switch (mode) {
      case "quick" -> quick();
      case "full" -> full();
      default -> throw new IllegalArgumentException("mode is quick or full, not " + mode);
    };
  }

  /**
   * Concurrency 1, 64, 256 × {1 KB, 64-chunk stream}, closed; one open-loop rate; one paced stream.
   */
  static List<Cell> cells(double openRate) {
    List<Cell> cells = new ArrayList<>();
    for (boolean streaming : new boolean[] {false, true}) {
      for (int concurrency : new int[] {1, 64, 256}) {
        cells.add(Cell.closed(streaming, concurrency));
      }
    }
    cells.add(new Cell(false, 64, openRate, false));
    cells.add(new Cell(true, 1, 0, true));
    return List.copyOf(cells);
  }
}
