package io.dormouse.sim.apiserver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code fieldSelector} ({@code involvedObject.name=llama,status.phase!=Failed}), matched against
 * objects as the API server matches it: only the fields each resource supports may be named; any
 * other is refused, as {@code field label not supported}.
 */
final class FieldSelector {

  /** One requirement: the field equals (or, negated, differs from) the value. */
  private record Requirement(String field, String value, boolean negated) {}

  private static final Set<String> EVERY_RESOURCE = Set.of("metadata.name", "metadata.namespace");

  /** The extra fields the API server indexes, per resource ({@code <group>/<plural>}). */
  private static final Map<String, Set<String>> EXTRA =
      Map.of(
          "/events",
          Set.of(
              "involvedObject.kind",
              "involvedObject.namespace",
              "involvedObject.name",
              "involvedObject.uid",
              "involvedObject.apiVersion",
              "involvedObject.resourceVersion",
              "involvedObject.fieldPath",
              "reason",
              "reportingComponent",
              "source",
              "type"),
          "/pods",
          Set.of(
              "spec.nodeName",
              "spec.restartPolicy",
              "spec.schedulerName",
              "spec.serviceAccountName",
              "spec.hostNetwork",
              "status.phase",
              "status.podIP",
              "status.nominatedNodeName"),
          "/secrets",
          Set.of("type"),
          "/nodes",
          Set.of("spec.unschedulable"),
          "/namespaces",
          Set.of("status.phase"),
          "events.k8s.io/events",
          Set.of("regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid"));

  /** The selector everything matches. */
  static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  private final List<Requirement> requirements;

  private FieldSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  /**
   * Reads {@code selector} for a resource of {@code group} named {@code plural}.
   *
   * @throws IllegalArgumentException naming the first field the resource does not support
   */
  static FieldSelector parse(String selector, String group, String plural) {
    if (selector == null || selector.isBlank()) {
      return EVERYTHING;
    }
    Set<String> extra = EXTRA.getOrDefault(group + "/" + plural, Set.of());
    List<Requirement> out = new ArrayList<>();
    for (String term : selector.split(",")) {
      Requirement r = requirement(term.trim());
      if (!EVERY_RESOURCE.contains(r.field()) && !extra.contains(r.field())) {
        throw new IllegalArgumentException("field label not supported: " + r.field());
      }
      out.add(r);
    }
    return new FieldSelector(List.copyOf(out));
  }

  private static Requirement requirement(String term) {
    int ne = term.indexOf("!=");
    if (ne > 0) {
      return new Requirement(term.substring(0, ne), term.substring(ne + 2), true);
    }
    int eqeq = term.indexOf("==");
    if (eqeq > 0) {
      return new Requirement(term.substring(0, eqeq), term.substring(eqeq + 2), false);
    }
    int eq = term.indexOf('=');
    if (eq > 0) {
      return new Requirement(term.substring(0, eq), term.substring(eq + 1), false);
    }
    throw new IllegalArgumentException("invalid selector: '" + term + "'; can't understand it");
  }

  boolean selectsEverything() {
    return requirements.isEmpty();
  }

  /** Whether {@code object} (as JSON maps) satisfies every requirement. */
  boolean matches(Map<String, Object> object) {
    for (Requirement r : requirements) {
      Object value = value(object, r.field());
      String text = value == null ? "" : String.valueOf(value);
      if (text.equals(r.value()) == r.negated()) {
        return false;
      }
    }
    return true;
  }

  /** A dotted field of the object; {@code source} of an Event is its source.component. */
  @SuppressWarnings("unchecked")
  private static Object value(Map<String, Object> object, String field) {
    if (field.equals("source")) {
      field = "source.component";
    }
    Object current = object;
    for (String part : field.split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = ((Map<String, Object>) map).get(part);
    }
    return current;
  }
}
