package io.dormouse.operator.lifecycle;

import io.dormouse.api.v1alpha1.TierState;
import io.dormouse.api.v1alpha1.TierStatus;

/**
 * In the autoscaling form, the replicas the active tier's cap cannot hold go to the usable tiers
 * below it, in priority order. When room frees above (or the load falls) a lower tier gives its
 * replicas back only as fast as ready replicas above it take their place, so the endpoint never
 * serves with fewer than it asks for while replicas move back up.
 */
final class SpillOver {

  private final Draft d;
  private final TierChoice choice;

  SpillOver(Draft d, TierChoice choice) {
    this.d = d;
    this.choice = choice;
  }

  /** Spreads what {@code active} cannot hold over the tiers below it. */
  void spread(String active) {
    if (!d.intent.spillOver()) {
      return;
    }
    int left = d.awake - d.replicas.getOrDefault(active, 0);
    int readyAbove = Math.min(d.ready(active), d.replicas.getOrDefault(active, 0));
    boolean below = false;
    for (String name : d.intent.tiers()) {
      if (name.equals(active)) {
        below = true;
        continue;
      }
      if (!below) {
        continue;
      }
      TierStatus tier = d.tiers.get(name);
      int had = d.observed.tier(name).askedReplicas();
      int want = left > 0 && choice.whyUnusable(name) == null ? Math.min(left, d.room(name)) : 0;
      // Moving back: keep what the ready replicas above do not yet cover.
      int keep = Math.max(want, Math.min(had, Math.max(0, d.awake - readyAbove)));
      if (tier.getState() == TierState.Unavailable) {
        keep = 0;
      }
      if (keep == 0) {
        if (had > 0 && tier.getState() != TierState.Draining) {
          d.stop(name);
          d.normal(
              Reasons.TIER_MOVED_BACK,
              name,
              "tier "
                  + name
                  + " gives its replicas back: the tiers above it serve "
                  + readyAbove
                  + " of "
                  + d.awake);
        }
        continue;
      }
      if (tier.getState() == TierState.Idle) {
        tier.setAttemptStartedTime(d.now.toString());
        d.normal(
            Reasons.TIER_SPILL_OVER,
            name,
            keep
                + " replica(s) on tier "
                + name
                + ": tier "
                + active
                + "'s cap holds "
                + d.replicas.getOrDefault(active, 0)
                + " of "
                + d.awake);
      }
      tier.setDrainStartedTime(null);
      tier.setState(d.ready(name) > 0 ? TierState.Ready : TierState.Starting);
      d.replicas.put(name, keep);
      left = Math.max(0, left - keep);
      readyAbove += Math.min(d.ready(name), keep);
    }
  }
}
