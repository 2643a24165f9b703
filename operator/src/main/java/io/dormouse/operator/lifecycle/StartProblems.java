package io.dormouse.operator.lifecycle;

import io.dormouse.api.duration.GoDuration;
import java.time.Duration;
import java.time.Instant;

/**
 * Why a starting tier cannot serve: a crash loop, a failing pull, or pods unschedulable too long.
 */
final class StartProblems {

  private final Draft d;

  StartProblems(Draft d) {
    this.d = d;
  }

  /** The tier's problem, or null; while pods are unschedulable within the timeout, a timer. */
  StartProblem of(String name) {
    TierObservation seen = d.observed.tier(name);
    if (seen.problem() != null) {
      return seen.problem();
    }
    if (seen.unschedulableSince() == null) {
      return null;
    }
    // Unschedulable since before this attempt (an old pod) counts from the attempt.
    Instant started = d.attemptStarted(name);
    Instant since =
        seen.unschedulableSince().isAfter(started) ? seen.unschedulableSince() : started;
    Instant giveUp = since.plus(d.intent.tierStartTimeout());
    if (d.now.isBefore(giveUp)) {
      d.deadline(giveUp);
      return null;
    }
    return new StartProblem(
        "Unschedulable",
        "pods unschedulable for "
            + GoDuration.format(Duration.between(since, d.now).withNanos(0))
            + " (tierStartTimeout "
            + GoDuration.format(d.intent.tierStartTimeout())
            + ")");
  }
}
