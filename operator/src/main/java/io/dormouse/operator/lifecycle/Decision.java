package io.dormouse.operator.lifecycle;

import io.dormouse.api.v1alpha1.Phase;
import java.time.Instant;
import java.util.List;

/**
 * One run of the decision table; lives for a single {@link Lifecycle#decide} call. It picks the
 * rows of the previous phase; {@link Wake}, {@link Serving} and {@link MoveBack} hold the steps.
 */
final class Decision {

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
    serving =
        new Serving(
            d, activity, choice, wake, new MoveBack(d, choice, problems), new SpillOver(d, choice));
  }

  Plan run() {
    notePresetMissing();
    noteTiersMissing();
    noteTenancy();
    String beyond = choice.maxReplicasBeyondTiers();
    if (d.intent.specError() != null) {
      refuse(d.intent.specError());
    } else if (beyond != null) {
      refuse(beyond);
    } else if (choice.noneExists()) {
      // Nothing could ever wake it: said at once, not at the first request.
      d.stopAll();
      d.enter(Phase.Failed, Reasons.TIER_NOT_FOUND, "no tier can run it: " + choice.summary());
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
      d.warning(Reasons.PRESET_NOT_FOUND, null, EndpointConditions.presetNotFound(preset));
    }
  }

  /** A GpuTier that does not exist: journaled once per set of missing tiers, as it is applied. */
  private void noteTiersMissing() {
    List<String> missing =
        d.intent.tiers().stream().filter(t -> !d.observed.capacity().containsKey(t)).toList();
    if (missing.isEmpty()) {
      return;
    }
    String text = EndpointConditions.tiersNotFound(missing);
    if (!EndpointConditions.said(
        d.previous.getConditions(), EndpointConditions.TIERS_RESOLVED, text)) {
      d.warning(Reasons.TIER_NOT_FOUND, null, text);
    }
  }

  /** A served name another endpoint owns, or projects the namespace refuses: journaled once. */
  private void noteTenancy() {
    Tenancy t = d.observed.tenancy();
    var before = d.previous.getConditions();
    if (t.conflict()
        && !EndpointConditions.said(
            before, EndpointConditions.SERVED_NAME_OWNED, t.conflictMessage())) {
      d.warning(Reasons.SERVED_NAME_CONFLICT, null, t.conflictMessage());
    }
    if (t.grant().refusesAny()
        && !EndpointConditions.said(
            before, EndpointConditions.PROJECTS_ALLOWED, t.refusedMessage())) {
      d.warning(Reasons.PROJECTS_REFUSED, null, t.refusedMessage());
    }
  }

  /**
   * A spec that cannot be served: nothing runs; journaled once, not on every reconcile. A missing
   * preset was journaled by {@link #notePresetMissing}.
   */
  private void refuse(String error) {
    d.stopAll();
    String why = d.intent.missingPreset() != null ? Reasons.PRESET_NOT_FOUND : Reasons.INVALID_SPEC;
    if (why.equals(Reasons.INVALID_SPEC)
        && (d.phase != Phase.Failed || !why.equals(d.reason) || !error.equals(d.message))) {
      d.warning(why, null, error);
    }
    d.enter(Phase.Failed, why, error);
  }

  private void hibernated() {
    if (activity.demand()) {
      wake.begin();
      return;
    }
    d.stopAll();
    if (d.previousPhase == null) {
      String why = "asleep until the first request";
      d.enter(Phase.Hibernated, Reasons.CREATED, why);
      d.normal(Reasons.CREATED, null, why);
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
      d.enter(Phase.Hibernated, Reasons.HIBERNATED, "every engine pod is gone");
      d.normal(Reasons.HIBERNATED, null, "every engine pod is gone");
    }
  }

  private void failed() {
    String usable = choice.firstUsable();
    if (usable != null && activity.demandSince(d.phaseSince) && activity.demand()) {
      wake.begin();
      return;
    }
    d.stopAll();
    if (usable != null || d.reason != null && Reasons.SPEC_FAILURES.contains(d.reason)) {
      // Back to sleep: the gateway then holds the next request instead of failing it, and wakes us.
      d.hibernatedAt = d.now;
      String why =
          usable == null
              ? "the spec can be served now; the next request wakes the endpoint"
              : "tier " + usable + " is usable again; the next request wakes the endpoint";
      d.enter(Phase.Hibernated, Reasons.HIBERNATED, why);
      d.normal(Reasons.HIBERNATED, null, why);
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
