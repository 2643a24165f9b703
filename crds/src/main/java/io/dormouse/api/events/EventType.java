package io.dormouse.api.events;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The CloudEvents types Dormouse sends to Webhook subscribers. Receivers switch on {@link #type()};
 * a Webhook's {@code spec.types} filter names them (the CRD refuses any other).
 */
public enum EventType {
  ENDPOINT_CREATED("io.dormouse.endpoint.created"),
  ENDPOINT_WAKING("io.dormouse.endpoint.waking"),
  ENDPOINT_READY("io.dormouse.endpoint.ready"),
  ENDPOINT_DEGRADED("io.dormouse.endpoint.degraded"),
  ENDPOINT_TIER_FALLBACK("io.dormouse.endpoint.tier-fallback"),
  ENDPOINT_TIER_MOVED_BACK("io.dormouse.endpoint.tier-moved-back"),
  ENDPOINT_REPLICA_UNAVAILABLE("io.dormouse.endpoint.replica-unavailable"),
  ENDPOINT_HIBERNATING("io.dormouse.endpoint.hibernating"),
  ENDPOINT_HIBERNATED("io.dormouse.endpoint.hibernated"),
  ENDPOINT_FAILED("io.dormouse.endpoint.failed"),
  ENDPOINT_DELETED("io.dormouse.endpoint.deleted"),
  BUDGET_THRESHOLD("io.dormouse.budget.threshold"),
  BUDGET_EXHAUSTED("io.dormouse.budget.exhausted"),
  BUDGET_RESET("io.dormouse.budget.reset");

  /**
   * Every type, as a CEL list literal for the Webhook CRD's rule (kept in step with the enum by
   * EventTypeTest).
   */
  public static final String CEL_LIST =
      "['io.dormouse.endpoint.created', 'io.dormouse.endpoint.waking',"
          + " 'io.dormouse.endpoint.ready', 'io.dormouse.endpoint.degraded',"
          + " 'io.dormouse.endpoint.tier-fallback', 'io.dormouse.endpoint.tier-moved-back',"
          + " 'io.dormouse.endpoint.replica-unavailable', 'io.dormouse.endpoint.hibernating',"
          + " 'io.dormouse.endpoint.hibernated', 'io.dormouse.endpoint.failed',"
          + " 'io.dormouse.endpoint.deleted', 'io.dormouse.budget.threshold',"
          + " 'io.dormouse.budget.exhausted', 'io.dormouse.budget.reset']";

  private final String type;

  EventType(String type) {
    this.type = type;
  }

  /** The CloudEvents {@code type} attribute. */
  public String type() {
    return type;
  }

  public static Optional<EventType> of(String type) {
    return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
  }

  public static List<String> all() {
    return Arrays.stream(values()).map(EventType::type).toList();
  }
}
