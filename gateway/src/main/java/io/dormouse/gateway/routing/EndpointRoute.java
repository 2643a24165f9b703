package io.dormouse.gateway.routing;

import io.dormouse.api.v1alpha1.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the gateway needs to know of one endpoint: how clients name it, who may call it, its limits,
 * its tiers in priority order and its phase.
 *
 * @param phase null while the operator has not written a status yet
 */
public record EndpointRoute(
    EndpointRef ref,
    String servedName,
    boolean isPublic,
    Set<String> projects,
    List<String> tiers,
    EndpointLimits limits,
    Duration wakeTimeout,
    Phase phase,
    String message) {

  public boolean allows(String project) {
    return isPublic || projects.contains(project);
  }

  public boolean failed() {
    return phase == Phase.Failed;
  }
}
