package io.dormouse.operator.lifecycle;

import io.dormouse.api.duration.GoDuration;
import io.dormouse.api.v1alpha1.TierState;
import io.dormouse.api.v1alpha1.TierStatus;
import java.time.Instant;

/**
 * Serving below the top tier: a higher usable tier is tried at most every tierRetryInterval; once
 * it is ready, traffic moves back up and the lower tier drains before it scales to 0.
 */
final class MoveBack {

  /** The tier serving after a retry step, and whether a new retry may start. */
  record Outcome(String serving, boolean mayRetry) {}

  private final Draft d;
  private final TierChoice choice;
  private final StartProblems problems;

  MoveBack(Draft d, TierChoice choice, StartProblems problems) {
    this.d = d;
    this.choice = choice;
    this.problems = problems;
  }

  /** Follows a retry under way above {@code active}: move back, back off, or keep it starting. */
  Outcome follow(String active) {
    String retrying = retryUnderWay(active);
    if (retrying == null) {
      return new Outcome(active, true);
    }
    if (d.cameUp(retrying)) {
      moveBack(retrying, active);
      return new Outcome(retrying, false);
    }
    StartProblem problem = problems.of(retrying);
    if (problem == null) {
      d.run(retrying, TierState.Starting);
      return new Outcome(active, false);
    }
    d.backOff(retrying, problem);
    d.fallbacks.add(new Fallback(retrying, active, problem.reason()));
    d.warning(
        Reasons.TIER_FALLBACK,
        retrying,
        "retry of tier "
            + retrying
            + " failed: "
            + problem.message()
            + "; staying on tier "
            + active);
    return new Outcome(active, true);
  }

  /** Starts the highest usable tier above {@code active} whose retry is due. */
  void retryAbove(String active) {
    for (String higher : d.intent.tiers()) {
      if (higher.equals(active)) {
        return;
      }
      if (choice.whyUnusable(higher) != null) {
        continue;
      }
      TierStatus tier = d.tiers.get(higher);
      Instant last = Draft.time(tier.getLastRetryTime());
      Instant due =
          (last == null ? d.attemptStarted(active) : last).plus(d.intent.tierRetryInterval());
      if (d.now.isBefore(due)) {
        d.deadline(due);
        continue;
      }
      d.start(higher);
      tier.setLastRetryTime(d.now.toString());
      d.normal(
          Reasons.TIER_RETRY,
          higher,
          "serving on tier " + active + "; trying to move back up to tier " + higher);
      d.deadline(d.now.plus(d.intent.tierStartTimeout()));
      return;
    }
  }

  /** Lower tiers keep serving for the drain delay after traffic moved up, then scale to 0. */
  void drainBelow(String active) {
    for (TierStatus tier : d.tiers.values()) {
      if (tier.getName().equals(active) || tier.getState() != TierState.Draining) {
        continue;
      }
      Instant since = Draft.time(tier.getDrainStartedTime());
      Instant end = (since == null ? d.now : since).plus(d.intent.drainDelay());
      if (d.now.isBefore(end)) {
        d.replicas.put(
            tier.getName(),
            d.intent.spillOver() ? Math.min(d.awake, d.room(tier.getName())) : d.awake);
        d.deadline(end);
      } else {
        d.stop(tier.getName());
      }
    }
  }

  private String retryUnderWay(String active) {
    for (String name : d.intent.tiers()) {
      if (name.equals(active)) {
        return null;
      }
      if (d.tiers.get(name).getState() == TierState.Starting) {
        return name;
      }
    }
    return null;
  }

  private void moveBack(String higher, String lower) {
    d.run(higher, TierState.Ready);
    TierStatus draining = d.tiers.get(lower);
    draining.setState(TierState.Draining);
    draining.setDrainStartedTime(d.now.toString());
    d.activeTier = higher;
    String why =
        "tier "
            + higher
            + " is ready; traffic moves back from tier "
            + lower
            + ", which scales to 0 after "
            + GoDuration.format(d.intent.drainDelay());
    d.normal(Reasons.TIER_MOVED_BACK, higher, why);
    d.record(d.phase, d.phase, higher, Reasons.TIER_MOVED_BACK, why);
  }
}
