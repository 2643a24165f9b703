package io.dormouse.operator.lifecycle;

import io.dormouse.api.duration.GoDuration;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.TierState;
import java.time.Duration;
import java.time.Instant;

/**
 * Waking: the first usable tier is scaled up; it becomes Ready with a ready replica, or gives way
 * to the next usable tier when it cannot start; with none left the endpoint is Failed.
 */
final class Wake {

  private final Draft d;
  private final TierChoice choice;
  private final StartProblems problems;
  private final Activity activity;

  Wake(Draft d, TierChoice choice, StartProblems problems, Activity activity) {
    this.d = d;
    this.choice = choice;
    this.problems = problems;
    this.activity = activity;
  }

  /** Starts a wake on the first usable tier, or fails at once when there is none. */
  void begin() {
    String tier = choice.firstUsable();
    if (tier == null) {
      fail("no usable tier: " + choice.summary());
      return;
    }
    d.stopAllBut(tier);
    d.start(tier);
    d.activeTier = tier;
    String why = "waking " + d.replicas.get(tier) + " replica(s) on tier " + tier;
    if (d.intent.alwaysOn()) {
      why += " (alwaysOn)";
    }
    d.enter(Phase.Waking, Reasons.WAKING, why);
    d.normal(Reasons.WAKING, tier, why);
    d.deadline(d.now.plus(d.intent.tierStartTimeout()));
  }

  /** The Waking rows: ready, a start problem, or hold (the idle clock does not run). */
  void proceed() {
    String tier = d.activeTier;
    if (!d.isActive(tier)) {
      begin();
      return;
    }
    StartProblem problem = choice.gone(tier);
    if (problem == null && d.cameUp(tier)) {
      becomeReady(tier);
      return;
    }
    if (problem == null) {
      problem = problems.of(tier);
    }
    if (problem != null) {
      fallBackFrom(tier, problem);
      return;
    }
    d.stopAllBut(tier);
    d.run(tier, TierState.Starting);
    d.deadline(d.attemptStarted(tier).plus(d.intent.tierStartTimeout()));
  }

  /** A wake that was asked for found no usable tier: the one place a wake failure is counted. */
  void fail(String text) {
    d.stopAll();
    d.enter(Phase.Failed, Reasons.WAKE_FAILED, text);
    d.warning(Reasons.WAKE_FAILED, null, text);
  }

  private void becomeReady(String tier) {
    d.stopAllBut(tier);
    d.run(tier, TierState.Ready);
    Instant wakeStart = d.phaseSince != null ? d.phaseSince : d.attemptStarted(tier);
    Duration took = Duration.between(wakeStart, d.now);
    d.wakeCompleted = new WakeCompleted(tier, took);
    // The status says what later decisions say too, so that it is written once per wake.
    String serving = Serving.message(d, d.ready(tier), tier);
    d.enter(Phase.Ready, Reasons.READY, serving);
    d.normal(Reasons.READY, tier, serving + "; woke in " + GoDuration.format(took.withNanos(0)));
    d.deadline(activity.idleDeadline());
  }

  private void fallBackFrom(String tier, StartProblem problem) {
    d.backOff(tier, problem);
    String next = choice.firstUsable();
    if (next == null) {
      d.fallbacks.add(new Fallback(tier, Fallback.NONE, problem.reason()));
      fail("tier " + tier + ": " + problem.message() + "; no usable tier: " + choice.summary());
      return;
    }
    d.stopAllBut(next);
    d.start(next);
    d.activeTier = next;
    d.fallbacks.add(new Fallback(tier, next, problem.reason()));
    String why = "tier " + tier + ": " + problem.message() + "; waking on tier " + next;
    d.warning(Reasons.TIER_FALLBACK, next, why);
    // Still Waking: the wake goes on, on another tier.
    d.record(Phase.Waking, Phase.Waking, next, Reasons.TIER_FALLBACK, why);
    d.reason = Reasons.TIER_FALLBACK;
    d.message = why;
    d.deadline(d.now.plus(d.intent.tierStartTimeout()));
  }
}
