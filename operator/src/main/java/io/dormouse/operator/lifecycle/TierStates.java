package io.dormouse.operator.lifecycle;

import io.dormouse.api.v1alpha1.TierState;
import io.dormouse.api.v1alpha1.TierStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each spec tier's state as the last decision left it, with what no longer holds lifted: expired
 * back-offs, and all back-offs after a spec change. A tier whose GpuTier is missing is unavailable.
 */
final class TierStates {

  private TierStates() {}

  static Map<String, TierStatus> carriedOver(Draft d) {
    Map<String, TierStatus> tiers = new LinkedHashMap<>();
    for (String name : d.intent.tiers()) {
      tiers.put(name, carriedOver(d, name));
    }
    return tiers;
  }

  private static TierStatus carriedOver(Draft d, String name) {
    TierStatus tier =
        copy(
            d.previous.getTiers() == null
                ? null
                : d.previous.getTiers().stream()
                    .filter(t -> name.equals(t.getName()))
                    .findFirst()
                    .orElse(null),
            name);
    tier.setReadyReplicas(d.ready(name));
    if (!d.observed.capacity().containsKey(name)) {
      tier.setState(TierState.Unavailable);
      tier.setReason(TierChoice.TIER_NOT_FOUND);
      tier.setMessage(TierChoice.notFound(name));
      tier.setUnavailableUntil(null);
    } else if (tier.getState() == TierState.Unavailable) {
      Instant until = Draft.time(tier.getUnavailableUntil());
      if (d.specChanged || until == null || !d.now.isBefore(until)) {
        tier.setState(TierState.Idle);
        tier.setUnavailableUntil(null);
        tier.setReason(null);
        tier.setMessage(null);
      }
    }
    return tier;
  }

  private static TierStatus copy(TierStatus from, String name) {
    TierStatus to = new TierStatus();
    to.setName(name);
    to.setState(TierState.Idle);
    if (from != null) {
      to.setState(from.getState() == null ? TierState.Idle : from.getState());
      to.setAttemptStartedTime(from.getAttemptStartedTime());
      to.setLastRetryTime(from.getLastRetryTime());
      to.setDrainStartedTime(from.getDrainStartedTime());
      to.setUnavailableUntil(from.getUnavailableUntil());
      to.setReason(from.getReason());
      to.setMessage(from.getMessage());
    }
    return to;
  }
}
