package io.dormouse.operator.wake;

import java.time.Instant;

/**
 * What was observed of one wake, as instants; any but the first and the last may be unknown (null),
 * and then the phase it would end takes no time.
 *
 * @param wakeStarted the endpoint entered Waking
 * @param tierAttemptStarted the tier that became ready was asked for replicas (later than
 *     wakeStarted after a tier fallback)
 * @param nodeReady the Ready condition of the pod's node turned True (its provisioning ended)
 * @param scheduled the pod's PodScheduled condition turned True
 * @param imagePulled the kubelet's Pulled event for the engine image (null when none was pulled)
 * @param engineListening the engine's first log line of its API server, else the container's start
 * @param podReady the pod's Ready condition turned True (/health answered OK)
 * @param observedReady the operator saw the ready replica and declared the wake over
 */
public record WakeTimeline(
    Instant wakeStarted,
    Instant tierAttemptStarted,
    Instant nodeReady,
    Instant scheduled,
    Instant imagePulled,
    Instant engineListening,
    Instant podReady,
    Instant observedReady) {

  public WakeTimeline {
    if (wakeStarted == null || observedReady == null) {
      throw new IllegalArgumentException("a wake has a start and an end");
    }
  }
}
