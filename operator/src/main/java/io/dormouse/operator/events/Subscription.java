package io.dormouse.operator.events;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * A Webhook as delivery sees it, its Secret read.
 *
 * @param key {@code <namespace>/<name>}
 * @param uid the Webhook's uid, for Events on it
 * @param secrets the {@code whsec_} secrets that sign (two during a rotation); empty when the
 *     Secret is missing or malformed, and then nothing is delivered
 * @param types the types it takes; empty for all
 * @param allNamespaces honoured: set, and the Webhook is in the operator's namespace
 * @param disabled a 410 Gone answer disabled this generation: nothing is queued or sent
 * @param problem why it cannot receive now (null when it can); events still queue for it
 */
public record Subscription(
    String key,
    String namespace,
    String uid,
    long generation,
    URI url,
    List<String> secrets,
    Set<String> types,
    LabelSelector endpointSelector,
    boolean allNamespaces,
    boolean disabled,
    String problem) {

  public Subscription {
    secrets = List.copyOf(secrets);
    types = Set.copyOf(types);
  }

  public boolean deliverable() {
    return !disabled && problem == null && !secrets.isEmpty();
  }

  /** Whether an event of this type about this endpoint is for this subscriber. */
  public boolean wants(
      String type, String endpointNamespace, java.util.Map<String, String> labels) {
    return !disabled
        && (allNamespaces || namespace.equals(endpointNamespace))
        && (types.isEmpty() || types.contains(type))
        && SelectorMatch.matches(endpointSelector, labels);
  }
}
