package io.dormouse.gateway.wake;

import java.time.Duration;
import java.time.Instant;

/**
 * When to write the endpoint's activity Lease: once, at once, when a request finds no ready backend
 * (one signal per wake, however many wait); otherwise at most every {@code renewEvery} while
 * requests arrive or are in flight, so idle time counts from the last completion.
 */
public final class ActivityPolicy {

  private final Duration renewEvery;
  private boolean wakeSignalled;
  private Instant lastWrite;
  private Instant lastActivity;

  public ActivityPolicy(Duration renewEvery) {
    this.renewEvery = renewEvery;
  }

  /** A request was admitted to the endpoint. */
  public void activity(Instant now) {
    lastActivity = now;
  }

  /** A request waits with no ready backend: true when this is the one write of the wake. */
  public boolean wakeNeeded(Instant now) {
    if (wakeSignalled) {
      return false;
    }
    wakeSignalled = true;
    lastWrite = now;
    return true;
  }

  /** Backends are ready, or nobody waits any more: the next wait is a new wake. */
  public void wakeOver() {
    wakeSignalled = false;
  }

  /** The periodic check: true when a renewal is due now. No renewals while a wake is pending. */
  public boolean renewDue(Instant now, boolean inFlight) {
    if (wakeSignalled) {
      return false;
    }
    boolean active =
        inFlight
            || (lastActivity != null && (lastWrite == null || lastActivity.isAfter(lastWrite)));
    if (!active
        || (lastWrite != null && Duration.between(lastWrite, now).compareTo(renewEvery) < 0)) {
      return false;
    }
    lastWrite = now;
    return true;
  }
}
