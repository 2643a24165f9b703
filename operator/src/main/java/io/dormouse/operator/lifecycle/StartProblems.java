package io.dormouse.operator.lifecycle;

import io.dormouse.api.duration.GoDuration;
import java.time.Duration;
import java.time.Instant;

/**
 * Why a starting tier cannot serve: a failure seen at once (crash loop, failing pull, out of
 * memory, engine fatal error), or a replica not ready within {@code tierStartTimeout}, whatever it
 * waits on (unschedulable, a volume that cannot attach, a missing Secret key, an init container).
 */
final class StartProblems {

  private final Draft d;

  StartProblems(Draft d) {
    this.d = d;
  }

  /** The tier's problem, or null; while a replica is starting within the timeout, a timer. */
  StartProblem of(String name) {
    TierObservation seen = d.observed.tier(name);
    if (seen.problem() != null) {
      return seen.problem();
    }
    if (seen.unschedulableSince() != null) {
      return timedOut(name, seen.unschedulableSince(), "Unschedulable", "pods unschedulable");
    }
    if (seen.notReadySince() == null) {
      return null;
    }
    StartProblem stuck =
        seen.stuck() != null ? seen.stuck() : new StartProblem("NotReady", "a replica not ready");
    return timedOut(name, seen.notReadySince(), stuck.reason(), stuck.message());
  }

  /** A pod stuck since before this attempt (an old pod) counts from the attempt. */
  private StartProblem timedOut(String tier, Instant stuckSince, String reason, String what) {
    Instant started = d.attemptStarted(tier);
    Instant since = stuckSince.isAfter(started) ? stuckSince : started;
    Instant giveUp = since.plus(d.intent.tierStartTimeout());
    if (d.now.isBefore(giveUp)) {
      d.deadline(giveUp);
      return null;
    }
    return new StartProblem(
        reason,
        what
            + " for "
            + GoDuration.format(Duration.between(since, d.now).withNanos(0))
            + " (tierStartTimeout "
            + GoDuration.format(d.intent.tierStartTimeout())
            + ")");
  }
}
