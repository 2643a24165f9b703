package io.dormouse.operator.lifecycle;

import java.time.Instant;

/**
 * One tier's engine Deployment and pods of one endpoint, summarised.
 *
 * @param askedReplicas the Deployment's spec.replicas (0 when it does not exist)
 * @param readyReplicas ready engine replicas
 * @param pods engine pods that exist, terminating ones included
 * @param unschedulableSince since when some pod has been unschedulable, or null
 * @param problem a start failure seen at once (crash loop, image pull, out of memory, engine fatal
 *     error), or null
 * @param statusCurrent the Deployment's status reflects its latest spec (observedGeneration), so
 *     its ready replicas are not pods of before the last scale
 * @param notReadySince since when the oldest pod that is not ready exists, or null
 * @param stuck what that not-ready pod is waiting on (e.g. ContainerCreating, with its message), or
 *     null; it becomes the tier's problem once the pod is not ready within tierStartTimeout
 */
public record TierObservation(
    String tier,
    int askedReplicas,
    int readyReplicas,
    int pods,
    Instant unschedulableSince,
    StartProblem problem,
    boolean statusCurrent,
    Instant notReadySince,
    StartProblem stuck) {

  public TierObservation(
      String tier,
      int askedReplicas,
      int readyReplicas,
      int pods,
      Instant unschedulableSince,
      StartProblem problem,
      boolean statusCurrent) {
    this(
        tier,
        askedReplicas,
        readyReplicas,
        pods,
        unschedulableSince,
        problem,
        statusCurrent,
        null,
        null);
  }

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
