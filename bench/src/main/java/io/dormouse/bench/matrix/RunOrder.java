package io.dormouse.bench.matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * The order the targets run in within one (repeat, cell): rotated, so no target always runs first
 * (colder caches) or last (a hotter machine).
 */
public final class RunOrder {

  private RunOrder() {}

  public static List<Target> of(List<Target> targets, int repeat, int cellIndex) {
    List<Target> order = new ArrayList<>(targets);
    if (!order.isEmpty()) {
      java.util.Collections.rotate(order, -((repeat + cellIndex) % order.size()));
    }
    return order;
  }
}
