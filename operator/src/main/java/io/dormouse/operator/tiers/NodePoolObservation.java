package io.dormouse.operator.tiers;

import sh.karpenter.v1.NodePoolStatus;

/**
 * What became of a tier's NodePool in one reconcile.
 *
 * @param state what the operator found or did
 * @param name the NodePool's name, or null for a tier without {@code spec.nodePool}
 * @param status Karpenter's report on the pool, when there is one to read
 * @param refusal the API server's words, when it refused the NodePool
 */
public record NodePoolObservation(State state, String name, NodePoolStatus status, String refusal) {

  public enum State {
    /** The tier has no {@code spec.nodePool}: its nodes come from a pool made elsewhere. */
    NONE,
    /** The cluster serves no {@code karpenter.sh/v1} NodePool API. */
    KARPENTER_NOT_INSTALLED,
    /** A NodePool of that name exists and is not this tier's. */
    NOT_OWNED,
    /** The tier now names a node class of another group or kind, which Karpenter refuses. */
    NODE_CLASS_CHANGED,
    /** The API server refused the NodePool the tier asks for (e.g. Karpenter's own rules). */
    REFUSED,
    /** The NodePool is as the tier says. */
    APPLIED
  }

  public static NodePoolObservation none() {
    return new NodePoolObservation(State.NONE, null, null, null);
  }

  public static NodePoolObservation of(State state, String name, NodePoolStatus status) {
    return new NodePoolObservation(state, name, status, null);
  }

  public static NodePoolObservation refused(String name, String refusal) {
    return new NodePoolObservation(State.REFUSED, name, null, refusal);
  }
}
