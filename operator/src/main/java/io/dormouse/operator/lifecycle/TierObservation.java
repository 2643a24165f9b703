package io.dormouse.operator.lifecycle;

import java.time.Instant;

/**
 * One tier's engine Deployment and pods of one endpoint, summarised.
 *
 * @param askedReplicas the Deployment's spec.replicas (0 when it does not exist)
 * @param readyReplicas ready engine replicas
 * @param pods engine pods that exist, terminating ones included
 * @param unschedulableSince since when some pod has been unschedulable, or null
 * @param problem a crash loop or image pull failure, or null
 * @param statusCurrent the Deployment's status reflects its latest spec (observedGeneration), so
 *     its ready replicas are not pods of before the last scale
 */
public record TierObservation(
    String tier,
    int askedReplicas,
    int readyReplicas,
    int pods,
    Instant unschedulableSince,
    StartProblem problem,
    boolean statusCurrent) {

  public TierObservation(
      String tier,
      int askedReplicas,
      int readyReplicas,
      int pods,
      Instant unschedulableSince,
      StartProblem problem) {
    this(tier, askedReplicas, readyReplicas, pods, unschedulableSince, problem, true);
  }

  public static TierObservation absent(String tier) {
    return new TierObservation(tier, 0, 0, 0, null, null);
  }
}
