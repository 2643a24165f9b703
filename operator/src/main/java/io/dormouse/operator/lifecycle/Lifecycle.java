package io.dormouse.operator.lifecycle;

import java.time.Clock;

/**
 * The sleep / wake decision of one endpoint (the decision table of the design): observed state and
 * the clock in, a {@link Plan} out. Pure: it reads nothing but its arguments.
 */
public final class Lifecycle {

  private final Clock clock;

  public Lifecycle(Clock clock) {
    this.clock = clock;
  }

  public Plan decide(Observation observation) {
    return new Decision(observation, clock.instant()).run();
  }
}
