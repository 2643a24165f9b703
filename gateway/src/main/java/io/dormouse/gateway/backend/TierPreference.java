package io.dormouse.gateway.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Traffic goes to the ready backends of every tier, highest priority first. The operator decides
 * which tiers run: one, or several when replicas spill over a full tier, or a lower one for its
 * drain delay after traffic moved back up. A tier that leaves is drained through its terminating
 * addresses, which are never ready.
 */
public final class TierPreference {

  private TierPreference() {}

  public static List<Backend> serving(
      List<String> tiersInPriority, Map<String, List<Backend>> readyByTier) {
    List<Backend> serving = new ArrayList<>();
    for (String tier : tiersInPriority) {
      List<Backend> ready = readyByTier.get(tier);
      if (ready != null) {
        serving.addAll(ready);
      }
    }
    return List.copyOf(serving);
  }
}
