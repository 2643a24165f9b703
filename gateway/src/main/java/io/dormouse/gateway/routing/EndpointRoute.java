package io.dormouse.gateway.routing;

import io.dormouse.api.tenancy.Claim;
import io.dormouse.api.v1alpha1.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the gateway needs to know of one endpoint: how clients name it, who its spec lets call it,
 * its limits, its tiers in priority order and its phase. Who may really call it is the {@link
 * RouteTable}'s to say: the served name may belong to an older endpoint, and the namespace may
 * refuse some of the projects.
 *
 * @param uid metadata.uid, and {@code created} its creationTimestamp (null when unknown): with them
 *     the served-name rule decides who claimed a name first
 * @param model the model the endpoint serves as its spec names it ({@code spec.model.name}, else
 *     its preset's name, else the served name): what usage is billed under
 * @param phase null while the operator has not written a status yet
 */
public record EndpointRoute(
    EndpointRef ref,
    String servedName,
    String model,
    String uid,
    Instant created,
    boolean isPublic,
    Set<String> projects,
    List<String> tiers,
    EndpointLimits limits,
    Duration wakeTimeout,
    Phase phase,
    String message) {

  public Claim claim() {
    return new Claim(ref.namespace(), ref.name(), uid, created, servedName);
  }

  public boolean failed() {
    return phase == Phase.Failed;
  }
}
