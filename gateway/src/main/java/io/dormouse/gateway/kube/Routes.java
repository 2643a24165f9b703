package io.dormouse.gateway.kube;

import io.dormouse.api.tenancy.Claim;
import io.dormouse.api.v1alpha1.AccessSpec;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.InferenceEndpointSpec;
import io.dormouse.api.v1alpha1.LimitsSpec;
import io.dormouse.gateway.routing.EndpointLimits;
import io.dormouse.gateway.routing.EndpointRef;
import io.dormouse.gateway.routing.EndpointRoute;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** An InferenceEndpoint as the data path sees it. */
final class Routes {

  static final Duration DEFAULT_WAKE_TIMEOUT = Duration.ofMinutes(10);

  private Routes() {}

  static EndpointRoute of(InferenceEndpoint ie) {
    InferenceEndpointSpec spec = ie.getSpec() == null ? new InferenceEndpointSpec() : ie.getSpec();
    Claim claim = Claim.of(ie);
    AccessSpec access = spec.getAccess() == null ? new AccessSpec() : spec.getAccess();
    LimitsSpec l = spec.getLimits() == null ? new LimitsSpec() : spec.getLimits();
    var status = ie.getStatus();
    return new EndpointRoute(
        new EndpointRef(claim.namespace(), claim.name()),
        claim.servedName(),
        model(spec, claim.servedName()),
        claim.uid(),
        claim.created(),
        access.isPublic(),
        Set.copyOf(access.getProjects() == null ? List.of() : access.getProjects()),
        List.copyOf(spec.getTiers() == null ? List.of() : spec.getTiers()),
        new EndpointLimits(
            l.getMaxConcurrentRequestsPerReplica(),
            l.getRequestsPerSecond(),
            l.getTokensPerSecond(),
            l.getMaxWaitingRequests()),
        wakeTimeout(spec),
        status == null ? null : status.getPhase(),
        status == null ? null : status.getMessage());
  }

  /** The model usage is billed under; the preset's model is the operator's to resolve. */
  static String model(InferenceEndpointSpec spec, String servedName) {
    var m = spec.getModel();
    if (m != null && m.getName() != null && !m.getName().isBlank()) {
      return m.getName();
    }
    if (m != null && m.getPreset() != null && !m.getPreset().isBlank()) {
      return m.getPreset();
    }
    return servedName;
  }

  private static Duration wakeTimeout(InferenceEndpointSpec spec) {
    try {
      return spec.getScaling() == null
          ? DEFAULT_WAKE_TIMEOUT
          : spec.getScaling().wakeTimeoutDuration();
    } catch (IllegalArgumentException e) {
      return DEFAULT_WAKE_TIMEOUT;
    }
  }
}
