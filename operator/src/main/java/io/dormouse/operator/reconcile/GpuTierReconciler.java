package io.dormouse.operator.reconcile;

import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.GpuTierStatus;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.operator.metrics.OperatorMetrics;
import io.dormouse.operator.tiers.NodePoolObservation;
import io.dormouse.operator.tiers.TierNodes;
import io.dormouse.operator.tiers.TierStatusAssembly;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps each GpuTier's Karpenter NodePool (for a tier with {@code spec.nodePool}) and writes the
 * tier's status: GPUs its engine replicas ask for, the endpoints on it, its nodes and their GPUs,
 * and whether its NodePool is ready.
 */
public final class GpuTierReconciler implements Reconciler<GpuTier> {

  private final OperatorMetrics metrics;
  private final Set<String> watchNamespaces;
  private final Duration maxInterval;
  private final Clock clock;
  private final String identity;
  private InformerEventSource<Deployment, GpuTier> deployments;
  private InformerEventSource<Node, GpuTier> nodes;
  private TierJournal journal;
  private TierNodePools nodePools;

  /**
   * @param watchNamespaces where engine Deployments may be; empty for all namespaces
   * @param maxInterval every tier is looked at at least this often, and so is the Karpenter API
   */
  public GpuTierReconciler(
      OperatorMetrics metrics,
      Set<String> watchNamespaces,
      Duration maxInterval,
      Clock clock,
      String identity) {
    this.metrics = metrics;
    this.watchNamespaces = watchNamespaces;
    this.maxInterval = maxInterval;
    this.clock = clock;
    this.identity = identity;
  }

  @Override
  public List<EventSource<?, GpuTier>> prepareEventSources(EventSourceContext<GpuTier> context) {
    journal = new TierJournal(context.getClient(), clock, identity);
    nodePools = new TierNodePools(context.getClient(), clock, maxInterval, journal);
    var builder =
        InformerEventSourceConfiguration.from(Deployment.class, GpuTier.class)
            .withName("engine-deployments")
            .withLabelSelector(Wiring.LABEL_ROLE + "=" + Wiring.ROLE_ENGINE)
            .withSecondaryToPrimaryMapper(
                (Deployment d) -> {
                  String tier = d.getMetadata().getLabels().get(Wiring.LABEL_TIER);
                  return tier == null ? Set.of() : Set.of(new ResourceID(tier));
                });
    if (watchNamespaces.isEmpty()) {
      builder.withWatchAllNamespaces();
    } else {
      builder.withNamespaces(watchNamespaces);
    }
    deployments = new InformerEventSource<>(builder.build(), context);
    // Only the nodes of some tier: a Karpenter NodePool of the operator's labels them.
    nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, GpuTier.class)
                .withName("tier-nodes")
                .withWatchAllNamespaces()
                .withLabelSelector(Wiring.LABEL_TIER)
                .withSecondaryToPrimaryMapper(
                    (Node n) ->
                        Set.of(new ResourceID(n.getMetadata().getLabels().get(Wiring.LABEL_TIER))))
                .build(),
            context);
    return List.of(deployments, nodes);
  }

  @Override
  public UpdateControl<GpuTier> reconcile(GpuTier tier, Context<GpuTier> context) {
    String name = tier.getMetadata().getName();
    int gpus = 0;
    Set<String> endpoints = new TreeSet<>();
    for (Deployment d :
        deployments
            .list(d -> name.equals(d.getMetadata().getLabels().get(Wiring.LABEL_TIER)))
            .toList()) {
      int replicas = d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
      if (replicas > 0) {
        gpus += replicas * GpuLedger.gpusOf(d);
        endpoints.add(
            d.getMetadata().getNamespace()
                + "/"
                + d.getMetadata().getLabels().get(Wiring.LABEL_ENDPOINT));
      }
    }
    metrics.tierGpus(name, gpus);
    TierNodes tierNodes =
        TierNodes.of(
            nodes
                .list(n -> name.equals(n.getMetadata().getLabels().get(Wiring.LABEL_TIER)))
                .toList(),
            tier.getSpec().getGpuResource());
    NodePoolObservation nodePool = nodePools.reconcile(tier, context);
    GpuTierStatus status =
        TierStatusAssembly.of(
            tier,
            new TierStatusAssembly.Observed(gpus, List.copyOf(endpoints), tierNodes, nodePool),
            clock.instant());
    journalConditionChange(tier, status);
    KubernetesSerialization json = context.getClient().getKubernetesSerialization();
    if (tier.getStatus() == null || !json.asJson(tier.getStatus()).equals(json.asJson(status))) {
      PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(
          tier,
          context,
          t -> {
            t.setStatus(status);
            return t;
          });
    }
    return UpdateControl.<GpuTier>noUpdate().rescheduleAfter(maxInterval);
  }

  /** An Event when the NodePool's readiness changes reason, not on every look. */
  private void journalConditionChange(GpuTier tier, GpuTierStatus after) {
    Optional<Condition> now = nodePoolReady(after);
    if (now.isEmpty()) {
      return;
    }
    Optional<Condition> before =
        tier.getStatus() == null ? Optional.empty() : nodePoolReady(tier.getStatus());
    if (before.isPresent() && Objects.equals(before.get().getReason(), now.get().getReason())) {
      return;
    }
    Condition c = now.get();
    if ("False".equals(c.getStatus())) {
      journal.warning(tier, eventReason(c.getReason()), c.getMessage());
    } else if ("True".equals(c.getStatus())) {
      journal.normal(tier, eventReason(c.getReason()), c.getMessage());
    }
  }

  /** Condition reasons read well under the condition's type; an Event stands alone. */
  private static String eventReason(String conditionReason) {
    return switch (conditionReason) {
      case TierStatusAssembly.READY, TierStatusAssembly.NOT_READY -> "NodePool" + conditionReason;
      default -> conditionReason;
    };
  }

  private static Optional<Condition> nodePoolReady(GpuTierStatus status) {
    return status.getConditions() == null
        ? Optional.empty()
        : status.getConditions().stream()
            .filter(c -> TierStatusAssembly.NODE_POOL_READY.equals(c.getType()))
            .findFirst();
  }
}
