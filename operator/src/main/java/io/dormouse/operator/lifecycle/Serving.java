package io.dormouse.operator.lifecycle;

import io.dormouse.api.duration.GoDuration;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.TierState;
import java.time.Instant;

/**
 * The Ready and Degraded rows: hibernate when idle, wake again when the serving tier lost every
 * ready replica, move between tiers, and tell Ready from Degraded.
 */
final class Serving {

  private final Draft d;
  private final Activity activity;
  private final TierChoice choice;
  private final Wake wake;
  private final MoveBack moveBack;
  private final SpillOver spillOver;

  Serving(
      Draft d,
      Activity activity,
      TierChoice choice,
      Wake wake,
      MoveBack moveBack,
      SpillOver spillOver) {
    this.d = d;
    this.activity = activity;
    this.choice = choice;
    this.wake = wake;
    this.moveBack = moveBack;
    this.spillOver = spillOver;
  }

  static String message(Draft d, int ready, String tier) {
    // Spill-over goes only to tiers below the active one; a higher tier running is a retry.
    java.util.List<String> order = d.intent.tiers();
    int active = order.indexOf(tier);
    String spilled =
        order.stream()
            .filter(t -> order.indexOf(t) > active && d.replicas.getOrDefault(t, 0) > 0)
            .filter(t -> d.tiers.get(t).getState() != TierState.Draining)
            .map(t -> t + " (" + d.replicas.get(t) + ")")
            .collect(java.util.stream.Collectors.joining(", "));
    return ready
        + "/"
        + d.awake
        + " replica(s) ready on tier "
        + tier
        + (spilled.isEmpty() ? "" : ", spilling over to " + spilled);
  }

  void proceed() {
    if (activity.idle()) {
      hibernate();
      return;
    }
    String tier = d.activeTier;
    if (!d.isActive(tier) || choice.gone(tier) != null) {
      wake.begin();
      return;
    }
    MoveBack.Outcome retry = moveBack.follow(tier);
    tier = retry.serving();
    moveBack.drainBelow(tier);
    if (d.ready(tier) == 0) {
      lost(tier);
      return;
    }
    d.run(tier, TierState.Ready);
    if (retry.mayRetry()) {
      moveBack.retryAbove(tier);
    }
    spillOver.spread(tier);
    noteScaling(tier);
    judgeReadiness(tier);
    d.deadline(activity.idleDeadline());
  }

  /** A change of the awake count on load: an Event that says why. */
  private void noteScaling(String tier) {
    if (d.intent.scaling().isFixed()) {
      return;
    }
    Integer before = d.previous.getDesiredReplicas();
    if (before == null || before == d.awake) {
      return;
    }
    String why = before + " → " + d.awake + " replica(s): " + d.scale.message();
    d.normal(d.awake > before ? Reasons.SCALED_UP : Reasons.SCALED_DOWN, tier, why);
  }

  private void hibernate() {
    d.stopAll();
    d.hibernatedAt = d.now;
    String why =
        "no activity since "
            + (d.lease == null ? "the wake" : d.lease.toString())
            + " (idleTimeout "
            + GoDuration.format(d.intent.idleTimeout())
            + ")";
    d.enter(Phase.Hibernating, Reasons.HIBERNATING, why);
    d.normal(Reasons.HIBERNATING, null, why);
  }

  /** e.g. spot capacity reclaimed: wake the same tier again, its attempt starting now. */
  private void lost(String tier) {
    d.stopAllBut(tier);
    d.start(tier);
    String why = "tier " + tier + " lost every ready replica; waking it again";
    d.enter(Phase.Waking, Reasons.REPLICA_UNAVAILABLE, why);
    d.warning(Reasons.REPLICA_UNAVAILABLE, tier, why);
    d.deadline(d.now.plus(d.intent.tierStartTimeout()));
  }

  /**
   * Degraded when replicas were lost, or some never came up within tierStartTimeout; Ready again
   * once all are there.
   */
  private void judgeReadiness(String active) {
    int ready =
        d.replicas.entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .mapToInt(e -> d.ready(e.getKey()))
            .sum();
    int before = d.previous.getReadyReplicas() == null ? 0 : d.previous.getReadyReplicas();
    String serving = message(d, ready, active);
    if (ready >= d.awake) {
      if (d.phase == Phase.Degraded) {
        d.normal(Reasons.READY, active, "all replicas ready again: " + serving);
      }
      d.enter(Phase.Ready, Reasons.READY, serving);
    } else if (ready < before || d.phase == Phase.Ready && startOverdue(active)) {
      d.warning(Reasons.REPLICA_UNAVAILABLE, active, serving);
      d.enter(Phase.Degraded, Reasons.REPLICA_UNAVAILABLE, serving);
    } else {
      d.message = serving;
    }
  }

  private boolean startOverdue(String tier) {
    Instant giveUp = d.attemptStarted(tier).plus(d.intent.tierStartTimeout());
    if (d.now.isBefore(giveUp)) {
      d.deadline(giveUp);
      return false;
    }
    return true;
  }
}
