package io.dormouse.bench.matrix;

/**
 * One cell of the matrix: a request kind at a load.
 *
 * @param ratePerSecond 0 for a closed loop at {@code concurrency}; else an open loop at this rate
 * @param paced streaming from an engine that paces its tokens, so that chunks leave it one by one
 *     and a proxy that coalesces them shows it
 */
public record Cell(boolean streaming, int concurrency, double ratePerSecond, boolean paced) {

  public static Cell closed(boolean streaming, int concurrency) {
    return new Cell(streaming, concurrency, 0, false);
  }

  public String name() {
    String kind = streaming ? (paced ? "stream-64-paced" : "stream-64") : "1KB";
    String load =
        ratePerSecond > 0
            ? "open " + Math.round(ratePerSecond) + "/s (pool " + concurrency + ")"
            : "c=" + concurrency;
    return kind + " " + load;
  }
}
