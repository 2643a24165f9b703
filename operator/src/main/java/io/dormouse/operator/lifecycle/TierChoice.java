package io.dormouse.operator.lifecycle;

import io.dormouse.api.v1alpha1.TierState;
import io.dormouse.api.v1alpha1.TierStatus;
import java.util.stream.Collectors;

/**
 * Which tiers can take the endpoint now: the GpuTier exists, the tier is not backed off, and its
 * cap has room for {@code replicas} × GPUs per replica besides what other endpoints use.
 */
final class TierChoice {

  static final String TIER_NOT_FOUND = Reasons.TIER_NOT_FOUND;

  private final Draft d;

  TierChoice(Draft d) {
    this.d = d;
  }

  static String notFound(String tier) {
    return "GpuTier \"" + tier + "\" not found";
  }

  /** Whether no GpuTier named in the spec exists: nothing could ever wake the endpoint. */
  boolean noneExists() {
    return d.intent.tiers().stream().noneMatch(d.observed.capacity()::containsKey);
  }

  /** The first tier in priority order that can take the endpoint now, or null. */
  String firstUsable() {
    return d.intent.tiers().stream().filter(t -> whyUnusable(t) == null).findFirst().orElse(null);
  }

  /** Null when the tier is usable, else why not. */
  String whyUnusable(String name) {
    TierCapacity capacity = d.observed.capacity().get(name);
    if (capacity == null) {
      return notFound(name);
    }
    TierStatus tier = d.tiers.get(name);
    if (tier.getState() == TierState.Unavailable) {
      return "backed off until " + tier.getUnavailableUntil() + " (" + tier.getMessage() + ")";
    }
    if (tier.getState() != TierState.Idle && d.replicas.getOrDefault(name, 0) > 0) {
      return null; // already ours: its GPUs are counted
    }
    // Spilling over, a tier that holds one replica can take the endpoint; the rest go lower.
    return capacity.whyNoRoomFor(d.intent.gpusPerReplica() * (d.intent.spillOver() ? 1 : d.awake));
  }

  /**
   * Null, or why maxReplicas can never run: every listed tier exists with a cap, and together they
   * hold fewer replicas (a check the CRD cannot make, as the caps live in the GpuTiers).
   */
  String maxReplicasBeyondTiers() {
    if (!d.intent.spillOver()) {
      return null;
    }
    int gpus = Math.max(1, d.intent.gpusPerReplica());
    long hold = 0;
    StringBuilder caps = new StringBuilder();
    for (String t : d.intent.tiers()) {
      TierCapacity capacity = d.observed.capacity().get(t);
      if (capacity == null || capacity.maxGpus() == null) {
        return null;
      }
      hold += capacity.maxGpus() / gpus;
      caps.append(caps.length() == 0 ? "" : ", ")
          .append(t)
          .append(" maxGpus ")
          .append(capacity.maxGpus());
    }
    int max = d.intent.scaling().maxReplicas();
    if (max <= hold) {
      return null;
    }
    return "spec.scaling.maxReplicas: "
        + max
        + " replica(s) of "
        + gpus
        + " GPU(s) can never run: the tiers together hold "
        + hold
        + " ("
        + caps
        + ")";
  }

  /** Each tier and whether it is usable, for messages. */
  String summary() {
    return d.intent.tiers().stream()
        .map(
            t -> {
              String why = whyUnusable(t);
              return t + ": " + (why == null ? "usable" : why);
            })
        .collect(Collectors.joining("; "));
  }

  /** The problem of a tier whose GpuTier was deleted, or null while it exists. */
  StartProblem gone(String name) {
    return d.observed.capacity().containsKey(name)
        ? null
        : new StartProblem(TIER_NOT_FOUND, notFound(name));
  }
}
