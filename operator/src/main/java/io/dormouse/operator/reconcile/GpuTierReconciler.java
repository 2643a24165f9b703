package io.dormouse.operator.reconcile;

import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.GpuTierStatus;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Writes each GpuTier's status: GPUs its engine replicas ask for and the endpoints on it. */
public final class GpuTierReconciler implements Reconciler<GpuTier> {

  private final OperatorMetrics metrics;
  private final Set<String> watchNamespaces;
  private final Duration maxInterval;
  private InformerEventSource<Deployment, GpuTier> deployments;

  /**
   * @param watchNamespaces where engine Deployments may be; empty for all namespaces
   */
  public GpuTierReconciler(
      OperatorMetrics metrics, Set<String> watchNamespaces, Duration maxInterval) {
    this.metrics = metrics;
    this.watchNamespaces = watchNamespaces;
    this.maxInterval = maxInterval;
  }

  @Override
  public List<EventSource<?, GpuTier>> prepareEventSources(EventSourceContext<GpuTier> context) {
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
    return List.of(deployments);
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
    GpuTierStatus status = new GpuTierStatus();
    status.setGpusInUse(gpus);
    status.setEndpoints(List.copyOf(endpoints));
    GpuTierStatus before = tier.getStatus();
    if (before == null
        || !Objects.equals(before.getGpusInUse(), status.getGpusInUse())
        || !Objects.equals(before.getEndpoints(), status.getEndpoints())) {
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
}
