package io.dormouse.operator.reconcile;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.ScalingSpec;
import io.dormouse.operator.lifecycle.Intent;
import io.dormouse.operator.presets.EffectiveSpec;
import io.dormouse.operator.scaling.ScalingPolicy;
import java.time.Duration;

/** Reads the lifecycle's {@link Intent} off an endpoint and its effective spec. */
final class Intents {

  private Intents() {}

  static Intent of(InferenceEndpoint endpoint, EffectiveSpec.Resolution resolved, Duration drain) {
    return of(endpoint, resolved, drain, Duration.ofSeconds(10));
  }

  /**
   * @param loadWindow the span the autoscaler averages the load over
   */
  static Intent of(
      InferenceEndpoint endpoint,
      EffectiveSpec.Resolution resolved,
      Duration drain,
      Duration loadWindow) {
    ScalingSpec scaling =
        endpoint.getSpec().getScaling() == null
            ? new ScalingSpec()
            : endpoint.getSpec().getScaling();
    Long generation = endpoint.getMetadata().getGeneration();
    String error = resolved.error();
    Duration idle = Duration.ofMinutes(15);
    Duration start = Duration.ofMinutes(5);
    Duration retry = Duration.ofMinutes(30);
    Duration scaleDown = Duration.ofMinutes(5);
    try {
      idle = scaling.idleTimeoutDuration();
      start = scaling.tierStartTimeoutDuration();
      retry = scaling.tierRetryIntervalDuration();
      scaleDown = scaling.scaleDownDelayDuration();
    } catch (IllegalArgumentException e) {
      // The CRD refuses such values; one that got through anyway is a spec error, not a crash.
      error = "spec.scaling: " + e.getMessage();
    }
    int replicas = endpoint.getSpec().getReplicas() == null ? 1 : endpoint.getSpec().getReplicas();
    ScalingPolicy policy = ScalingPolicy.fixed(replicas);
    boolean floorAlwaysOn = false;
    if (scaling.autoscaling()) {
      int min = scaling.getMinReplicas() == null ? 0 : scaling.getMinReplicas();
      int max = scaling.getMaxReplicas() == null ? Math.max(1, min) : scaling.getMaxReplicas();
      int target =
          scaling.getTargetInFlightPerReplica() == null
              ? ScalingSpec.DEFAULT_TARGET_IN_FLIGHT_PER_REPLICA
              : scaling.getTargetInFlightPerReplica();
      if (endpoint.getSpec().getReplicas() != null) {
        error =
            "spec.replicas: must not be set with scaling.minReplicas, maxReplicas or targetInFlightPerReplica";
      } else if (min > max || target < 1 || min < 0) {
        error = "spec.scaling: minReplicas " + min + ", maxReplicas " + max + ", target " + target;
      } else {
        policy = new ScalingPolicy(min, max, target, loadWindow, scaleDown);
        replicas = Math.max(1, min);
        // minReplicas of 1 or more: never below it, so never asleep.
        floorAlwaysOn = min >= 1;
      }
    }
    return new Intent(
        generation == null ? 0 : generation,
        endpoint.getSpec().getTiers(),
        replicas,
        resolved.spec() == null ? 1 : resolved.spec().gpusPerReplica(),
        idle,
        start,
        retry,
        drain,
        scaling.isAlwaysOn() || floorAlwaysOn,
        error,
        resolved.missingPreset(),
        policy);
  }
}
