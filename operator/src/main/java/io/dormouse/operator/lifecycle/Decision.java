package io.dormouse.operator.lifecycle;

import io.dormouse.api.v1alpha1.Phase;
import java.time.Instant;

/**
 * One run of the decision table; lives for a single {@link Lifecycle#decide} call. It picks the
 * rows of the previous phase; {@link Wake}, {@link Serving} and {@link MoveBack} hold the steps.
 */
final class Decision {

  private static final String INVALID_SPEC = "InvalidSpec";

  private final Draft d;
  private final Activity activity;
  private final TierChoice choice;
  private final Wake wake;
  private final Serving serving;

  Decision(Observation observed, Instant now) {
    d = new Draft(observed, now);
    activity = new Activity(d);
    choice = new TierChoice(d);
    StartProblems problems = new StartProblems(d);
    wake = new Wake(d, choice, problems, activity);
    serving = new Serving(d, activity, choice, wake, new MoveBack(d, choice, problems));
  }

  Plan run() {
    notePresetMissing();
    if (d.intent.specError() != null) {
      refuse(d.intent.specError());
    } else {
      switch (d.previousPhase == null ? Phase.Hibernated : d.previousPhase) {
        case Hibernated -> hibernated();
        case Waking -> wake.proceed();
        case Ready, Degraded -> serving.proceed();
        case Hibernating -> hibernating();
        case Failed -> failed();
      }
    }
    return StatusAssembly.plan(d);
  }

  /** A preset name the catalog lacks is likely a typo: journaled once, and kept in a condition. */
  private void notePresetMissing() {
    String preset = d.intent.missingPreset();
    if (preset != null
        && !EndpointConditions.saidPresetMissing(d.previous.getConditions(), preset)) {
      d.warning(
          EndpointConditions.PRESET_NOT_FOUND, null, EndpointConditions.presetNotFound(preset));
    }
  }

  /** A spec that cannot be served: nothing runs; journaled once, not on every reconcile. */
  private void refuse(String error) {
    d.stopAll();
    if (d.phase != Phase.Failed || !INVALID_SPEC.equals(d.reason)) {
      d.warning("WakeFailed", null, error);
    }
    d.enter(Phase.Failed, INVALID_SPEC, error);
  }

  private void hibernated() {
    if (activity.demand()) {
      wake.begin();
      return;
    }
    d.stopAll();
    if (d.previousPhase == null) {
      String why = "asleep until the first request";
      d.enter(Phase.Hibernated, "Created", why);
      d.normal("Created", null, why);
    } else {
      d.enter(Phase.Hibernated, d.reason, d.message);
    }
  }

  private void hibernating() {
    if (activity.demand()) {
      wake.begin(); // a request raced the decision to hibernate
      return;
    }
    d.stopAll();
    if (d.intent.tiers().stream().mapToInt(t -> d.observed.tier(t).pods()).sum() == 0) {
      d.enter(Phase.Hibernated, "Idle", "every engine pod is gone");
      d.normal("Hibernated", null, "every engine pod is gone");
    }
  }

  private void failed() {
    String usable = choice.firstUsable();
    if (usable != null && activity.demandSince(d.phaseSince) && activity.demand()) {
      wake.begin();
      return;
    }
    d.stopAll();
    if (usable != null) {
      // Back to sleep: the gateway then holds the next request instead of failing it, and wakes us.
      d.hibernatedAt = d.now;
      String why = "tier " + usable + " is usable again; the next request wakes the endpoint";
      d.enter(Phase.Hibernated, d.specChanged ? "SpecChanged" : "BackOffExpired", why);
      d.normal("Hibernated", null, why);
      return;
    }
    if (INVALID_SPEC.equals(d.reason)) {
      // The spec was fixed: what fails now is the tiers.
      wake.fail("NoUsableTier", "no usable tier: " + choice.summary());
      return;
    }
    // The failure's message stays until the spec changes: recomputing it would rewrite the status
    // on every reconcile.
    d.enter(
        Phase.Failed,
        d.reason,
        d.specChanged || d.message == null ? "no usable tier: " + choice.summary() : d.message);
  }
}
