package io.dormouse.gateway.backend;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/** Least outstanding requests among backends under their concurrency cap. */
public final class BackendPicker {

  private BackendPicker() {}

  /**
   * @param rotation where to start among equals, so idle backends share sequential traffic
   * @return empty when every backend is at {@code cap} (or there are none)
   */
  public static Optional<Backend> pick(
      List<Backend> candidates, Map<String, Integer> outstanding, int cap, int rotation) {
    return pick(candidates, outstanding, b -> cap, rotation);
  }

  /** As above, with a cap of its own for each backend (this gateway's share of its slots). */
  public static Optional<Backend> pick(
      List<Backend> candidates,
      Map<String, Integer> outstanding,
      ToIntFunction<Backend> cap,
      int rotation) {
    Backend best = null;
    int bestLoad = Integer.MAX_VALUE;
    int n = candidates.size();
    for (int i = 0; i < n; i++) {
      Backend b = candidates.get(Math.floorMod(rotation + i, n));
      int load = outstanding.getOrDefault(b.id(), 0);
      if (load < cap.applyAsInt(b) && load < bestLoad) {
        best = b;
        bestLoad = load;
      }
    }
    return Optional.ofNullable(best);
  }

  /** How many more requests the backends can take right now: the pace of releasing waiters. */
  public static int freeSlots(List<Backend> candidates, Map<String, Integer> outstanding, int cap) {
    int free = 0;
    for (Backend b : candidates) {
      free += Math.max(0, cap - outstanding.getOrDefault(b.id(), 0));
    }
    return free;
  }
}
