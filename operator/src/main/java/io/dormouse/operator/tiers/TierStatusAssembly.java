package io.dormouse.operator.tiers;

import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.GpuTierStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import sh.karpenter.v1.NodePoolStatus;
import sh.karpenter.v1.nodepoolstatus.Conditions;

/**
 * A GpuTier's status from what was observed: GPUs asked for by engines, the endpoints on the tier,
 * its nodes and GPUs, and its NodePool's readiness as the {@code NodePoolReady} condition. A
 * condition keeps its lastTransitionTime while its status does not change.
 */
public final class TierStatusAssembly {

  public static final String NODE_POOL_READY = "NodePoolReady";

  public static final String KARPENTER_NOT_INSTALLED = "KarpenterNotInstalled";
  public static final String NODE_POOL_NOT_OWNED = "NodePoolNotOwned";
  public static final String NODE_CLASS_CHANGE_REFUSED = "NodeClassChangeRefused";
  public static final String NODE_POOL_REFUSED = "NodePoolRefused";
  public static final String AWAITING_KARPENTER = "AwaitingKarpenter";
  public static final String READY = "Ready";
  public static final String NOT_READY = "NotReady";

  /** Karpenter's condition on a NodePool that says it can launch nodes. */
  static final String KARPENTER_READY = "Ready";

  private TierStatusAssembly() {}

  /** What was seen of the tier this reconcile. */
  public record Observed(
      int gpusInUse, List<String> endpoints, TierNodes nodes, NodePoolObservation nodePool) {}

  public static GpuTierStatus of(GpuTier tier, Observed observed, Instant now) {
    GpuTierStatus before = tier.getStatus();
    GpuTierStatus status = new GpuTierStatus();
    status.setObservedGeneration(tier.getMetadata().getGeneration());
    status.setGpusInUse(observed.gpusInUse());
    status.setEndpoints(List.copyOf(observed.endpoints()));
    NodePoolObservation pool = observed.nodePool();
    boolean ownPool = pool.state() != NodePoolObservation.State.NONE;
    // Without a pool of its own the tier's nodes are labelled only if someone chose to.
    if (ownPool || observed.nodes().nodes() > 0) {
      status.setNodes(observed.nodes().nodes());
      status.setGpusProvisioned(observed.nodes().gpusProvisioned());
    }
    if (pool.state() == NodePoolObservation.State.APPLIED) {
      status.setNodePool(pool.name());
    }
    List<Condition> conditions = new ArrayList<>();
    if (ownPool) {
      conditions.add(
          nodePoolReady(
              before == null ? List.of() : before.getConditions(),
              pool,
              tier.getMetadata().getGeneration(),
              now));
    }
    status.setConditions(conditions);
    return status;
  }

  private static Condition nodePoolReady(
      List<Condition> before, NodePoolObservation pool, Long generation, Instant now) {
    String name = pool.name();
    return switch (pool.state()) {
      case KARPENTER_NOT_INSTALLED ->
          condition(
              before,
              "False",
              KARPENTER_NOT_INSTALLED,
              "the cluster serves no karpenter.sh/v1 NodePool API: install Karpenter, or remove"
                  + " spec.nodePool and select a pre-made node pool with spec.nodeSelector",
              generation,
              now);
      case NOT_OWNED ->
          condition(
              before,
              "False",
              NODE_POOL_NOT_OWNED,
              "NodePool "
                  + name
                  + " exists and is not this tier's; the operator leaves it alone. Delete or"
                  + " rename it to let the operator make the tier's own",
              generation,
              now);
      case NODE_CLASS_CHANGED ->
          condition(
              before,
              "False",
              NODE_CLASS_CHANGE_REFUSED,
              "Karpenter does not let NodePool "
                  + name
                  + " change its node class's group or kind; delete the NodePool (its nodes"
                  + " drain) and the operator makes it anew",
              generation,
              now);
      case REFUSED ->
          condition(
              before,
              "False",
              NODE_POOL_REFUSED,
              "the API server refused NodePool " + name + ": " + pool.refusal(),
              generation,
              now);
      case APPLIED -> applied(before, name, pool.status(), generation, now);
      case NONE -> throw new IllegalArgumentException("a tier without a NodePool has no condition");
    };
  }

  private static Condition applied(
      List<Condition> before, String name, NodePoolStatus status, Long generation, Instant now) {
    Conditions ready =
        status == null || status.getConditions() == null
            ? null
            : status.getConditions().stream()
                .filter(c -> KARPENTER_READY.equals(c.getType()))
                .findFirst()
                .orElse(null);
    if (ready == null || ready.getStatus() == null) {
      return condition(
          before,
          "Unknown",
          AWAITING_KARPENTER,
          "Karpenter has not reported on NodePool " + name + " yet",
          generation,
          now);
    }
    if (ready.getStatus() == Conditions.Status.TRUE) {
      return condition(before, "True", READY, "NodePool " + name + " is ready", generation, now);
    }
    String why =
        (ready.getReason() == null ? "" : ready.getReason())
            + (ready.getMessage() == null || ready.getMessage().isEmpty()
                ? ""
                : ": " + ready.getMessage());
    return condition(
        before,
        "False",
        NOT_READY,
        "NodePool " + name + " is not ready" + (why.isEmpty() ? "" : ": " + why),
        generation,
        now);
  }

  private static Condition condition(
      List<Condition> before,
      String status,
      String reason,
      String message,
      Long generation,
      Instant now) {
    String since =
        before == null
            ? null
            : before.stream()
                .filter(c -> NODE_POOL_READY.equals(c.getType()) && status.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .findFirst()
                .orElse(null);
    return new ConditionBuilder()
        .withType(NODE_POOL_READY)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(
            since != null ? since : now.truncatedTo(ChronoUnit.SECONDS).toString())
        .build();
  }
}
