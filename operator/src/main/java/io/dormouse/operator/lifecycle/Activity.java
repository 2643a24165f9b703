package io.dormouse.operator.lifecycle;

import java.time.Instant;

/**
 * Demand and idleness, from the activity Lease's renew time L. Demand: alwaysOn, or L later than
 * the last decision to hibernate. Idle: L (or the end of the wake, if later) is idleTimeout old.
 */
final class Activity {

  private final Draft d;
  // When the Ready condition last turned True: the end of the wake, unmoved by Ready <-> Degraded.
  // An endpoint whose served name another owns is never Ready; it counts from its phase's start.
  private final Instant servingSince;

  Activity(Draft d) {
    this.d = d;
    this.servingSince =
        d.previous.getConditions() == null
            ? null
            : d.previous.getConditions().stream()
                .filter(c -> EndpointConditions.READY.equals(c.getType()))
                .filter(c -> "True".equals(c.getStatus()))
                .map(c -> Draft.time(c.getLastTransitionTime()))
                .findFirst()
                .orElse(null);
  }

  boolean demand() {
    return d.intent.alwaysOn() || after(d.hibernatedAt);
  }

  /** alwaysOn, or a request after {@code since} (any request when since is unknown). */
  boolean demandSince(Instant since) {
    return d.intent.alwaysOn() || after(since);
  }

  private boolean after(Instant since) {
    return d.lease != null && (since == null || d.lease.isAfter(since));
  }

  boolean idle() {
    return !d.intent.alwaysOn() && !d.now.isBefore(idleDeadline());
  }

  Instant idleDeadline() {
    return idleReference().plus(d.intent.idleTimeout());
  }

  /** The latest request, but never earlier than the end of the wake: waking time is not idle. */
  private Instant idleReference() {
    Instant awake =
        servingSince != null ? servingSince : d.phaseSince != null ? d.phaseSince : d.now;
    return d.lease != null && d.lease.isAfter(awake) ? d.lease : awake;
  }
}
