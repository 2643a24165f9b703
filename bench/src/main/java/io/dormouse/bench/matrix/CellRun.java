package io.dormouse.bench.matrix;

import io.dormouse.bench.load.LoadResult;
import java.util.Map;

/** One repeat of one cell: the same load through each target, back to back. */
public record CellRun(Cell cell, int repeat, Map<Target, LoadResult> results) {

  public LoadResult of(Target target) {
    LoadResult r = results.get(target);
    if (r == null) {
      throw new IllegalArgumentException(cell.name() + " repeat " + repeat + " lacks " + target);
    }
    return r;
  }

  public boolean has(Target target) {
    return results.containsKey(target);
  }
}
