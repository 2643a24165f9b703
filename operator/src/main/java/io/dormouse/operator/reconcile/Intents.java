package io.dormouse.operator.reconcile;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.ScalingSpec;
import io.dormouse.operator.lifecycle.Intent;
import io.dormouse.operator.presets.EffectiveSpec;
import java.time.Duration;

/** Reads the lifecycle's {@link Intent} off an endpoint and its effective spec. */
final class Intents {

  private Intents() {}

  static Intent of(InferenceEndpoint endpoint, EffectiveSpec.Resolution resolved, Duration drain) {
    ScalingSpec scaling =
        endpoint.getSpec().getScaling() == null
            ? new ScalingSpec()
            : endpoint.getSpec().getScaling();
    Long generation = endpoint.getMetadata().getGeneration();
    String error = resolved.error();
    Duration idle = Duration.ofMinutes(15);
    Duration start = Duration.ofMinutes(5);
    Duration retry = Duration.ofMinutes(30);
    try {
      idle = scaling.idleTimeoutDuration();
      start = scaling.tierStartTimeoutDuration();
      retry = scaling.tierRetryIntervalDuration();
    } catch (IllegalArgumentException e) {
      // The CRD refuses such values; one that got through anyway is a spec error, not a crash.
      error = "spec.scaling: " + e.getMessage();
    }
    return new Intent(
        generation == null ? 0 : generation,
        endpoint.getSpec().getTiers(),
        endpoint.getSpec().getReplicas(),
        resolved.spec() == null ? 1 : resolved.spec().gpusPerReplica(),
        idle,
        start,
        retry,
        drain,
        scaling.isAlwaysOn(),
        error,
        resolved.missingPreset());
  }
}
