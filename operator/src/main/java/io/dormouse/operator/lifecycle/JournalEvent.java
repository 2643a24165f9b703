package io.dormouse.operator.lifecycle;

/**
 * One entry of the operations journal: a Kubernetes Event on the endpoint.
 *
 * @param warning Warning rather than Normal
 * @param reason one of {@link Reasons}
 * @param tier the tier concerned, or null
 */
public record JournalEvent(boolean warning, String reason, String tier, String message) {

  static JournalEvent normal(String reason, String tier, String message) {
    return new JournalEvent(false, reason, tier, message);
  }

  static JournalEvent warning(String reason, String tier, String message) {
    return new JournalEvent(true, reason, tier, message);
  }
}
