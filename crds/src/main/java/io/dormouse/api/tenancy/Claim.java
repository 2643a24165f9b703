package io.dormouse.api.tenancy;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.InferenceEndpointSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Objects;

/**
 * One InferenceEndpoint's claim on a served name.
 *
 * @param uid metadata.uid; breaks ties between claims created in the same second
 * @param created metadata.creationTimestamp, or null when unknown: such a claim counts as the
 *     newest, so it never displaces one whose age is known
 * @param servedName the {@code model} value clients send: spec.model.servedName, else the name
 */
public record Claim(String namespace, String name, String uid, Instant created, String servedName) {

  /** Oldest first: creation time, then uid, then namespace and name (so the order is total). */
  static final Comparator<Claim> FIRST_CLAIMED =
      Comparator.comparing((Claim c) -> c.created() == null ? Instant.MAX : c.created())
          .thenComparing(c -> Objects.requireNonNullElse(c.uid(), ""))
          .thenComparing(Claim::namespace)
          .thenComparing(Claim::name);

  public Claim {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(servedName, "servedName");
  }

  /** The claim an endpoint makes. */
  public static Claim of(InferenceEndpoint endpoint) {
    var meta = endpoint.getMetadata();
    return new Claim(
        meta.getNamespace(),
        meta.getName(),
        meta.getUid(),
        instant(meta.getCreationTimestamp()),
        servedName(endpoint));
  }

  /** spec.model.servedName, else metadata.name. */
  public static String servedName(InferenceEndpoint endpoint) {
    InferenceEndpointSpec spec = endpoint.getSpec();
    String served =
        spec == null || spec.getModel() == null ? null : spec.getModel().getServedName();
    return served != null && !served.isEmpty() ? served : endpoint.getMetadata().getName();
  }

  /** {@code <namespace>/<servedName>}: the name that reaches this endpoint whoever owns its own. */
  public String qualifiedName() {
    return qualified(namespace, servedName);
  }

  static String qualified(String namespace, String servedName) {
    return namespace + "/" + servedName;
  }

  /** The same endpoint (namespace and name), whatever it claims. */
  boolean sameEndpoint(Claim other) {
    return namespace.equals(other.namespace) && name.equals(other.name);
  }

  private static Instant instant(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
