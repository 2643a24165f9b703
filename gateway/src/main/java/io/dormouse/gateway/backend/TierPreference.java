package io.dormouse.gateway.backend;

import java.util.List;
import java.util.Map;

/** Traffic goes to the highest-priority tier that has any ready backend, and only to it. */
public final class TierPreference {

  private TierPreference() {}

  public static List<Backend> serving(
      List<String> tiersInPriority, Map<String, List<Backend>> readyByTier) {
    for (String tier : tiersInPriority) {
      List<Backend> ready = readyByTier.get(tier);
      if (ready != null && !ready.isEmpty()) {
        return ready;
      }
    }
    return List.of();
  }
}
