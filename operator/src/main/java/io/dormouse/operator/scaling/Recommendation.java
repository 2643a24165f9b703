package io.dormouse.operator.scaling;

import java.time.Instant;
import java.util.Optional;

/**
 * The replica count the load asks for, and why.
 *
 * @param replicas replicas while awake
 * @param load the averaged load it was computed from
 * @param change up, down, or none (a scale-down waiting for its delay is {@link Change#HELD})
 * @param limit whether the count is pinned at the minimum or the maximum
 * @param message for Events and conditions
 * @param recheckAt when the recommendation may next change without new load, if ever
 */
public record Recommendation(
    int replicas,
    double load,
    Change change,
    Limit limit,
    String message,
    Optional<Instant> recheckAt) {

  public enum Change {
    UP,
    DOWN,
    HELD,
    NONE
  }

  public enum Limit {
    NONE,
    AT_MIN,
    AT_MAX
  }
}
