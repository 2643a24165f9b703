package io.dormouse.sim.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes objects every one of whose owners is gone (background propagation): pods of a deleted
 * Deployment, the Deployments, Services, NetworkPolicies and Leases of a deleted endpoint, the
 * slices of a deleted Service.
 */
final class GarbageCollector extends ControlLoop {

  /** The kinds that may be owned, as (apiVersion, kind). */
  static final List<List<String>> DEPENDENT_KINDS =
      List.of(
          List.of("apps/v1", "Deployment"),
          List.of("v1", "Service"),
          List.of("v1", "Pod"),
          List.of("v1", "ConfigMap"),
          List.of("v1", "Secret"),
          List.of("discovery.k8s.io/v1", "EndpointSlice"),
          List.of("networking.k8s.io/v1", "NetworkPolicy"),
          List.of("coordination.k8s.io/v1", "Lease"),
          List.of("policy/v1", "PodDisruptionBudget"));

  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final KubernetesClient client;

  GarbageCollector(KubernetesClient client) {
    super("garbage-collector", Duration.ofSeconds(1));
    this.client = client;
  }

  @Override
  protected void reconcile() {
    Map<String, Boolean> owners = new HashMap<>();
    for (List<String> kind : DEPENDENT_KINDS) {
      for (GenericKubernetesResource object :
          client
              .genericKubernetesResources(kind.get(0), kind.get(1))
              .inAnyNamespace()
              .list()
              .getItems()) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        if (refs == null || refs.isEmpty() || object.getMetadata().getDeletionTimestamp() != null) {
          continue;
        }
        String ns = object.getMetadata().getNamespace();
        boolean orphan =
            refs.stream()
                .noneMatch(
                    ref ->
                        owners.computeIfAbsent(
                            ns
                                + "|"
                                + ref.getApiVersion()
                                + "|"
                                + ref.getKind()
                                + "|"
                                + ref.getName()
                                + "|"
                                + ref.getUid(),
                            k -> exists(ns, ref)));
        if (orphan) {
          LOG.info(
              "{} {}/{}: owner {} {} gone, deleting",
              kind.get(1),
              ns,
              object.getMetadata().getName(),
              refs.get(0).getKind(),
              refs.get(0).getName());
          try {
            client
                .genericKubernetesResources(kind.get(0), kind.get(1))
                .inNamespace(ns)
                .withName(object.getMetadata().getName())
                .delete();
          } catch (KubernetesClientException e) {
            LOG.debug(
                "{} {}/{}: delete failed: {}",
                kind.get(1),
                ns,
                object.getMetadata().getName(),
                e.getMessage());
          }
        }
      }
    }
  }

  private boolean exists(String namespace, OwnerReference ref) {
    try {
      var resources = client.genericKubernetesResources(ref.getApiVersion(), ref.getKind());
      GenericKubernetesResource owner =
          clusterScoped(ref.getKind())
              ? resources.withName(ref.getName()).get()
              : resources.inNamespace(namespace).withName(ref.getName()).get();
      return owner != null && ref.getUid().equals(owner.getMetadata().getUid());
    } catch (KubernetesClientException e) {
      return true; // unsure: keep the dependent
    }
  }

  private static boolean clusterScoped(String kind) {
    return List.of("GpuTier", "Node", "Namespace", "ClusterRole", "CustomResourceDefinition")
        .contains(kind);
  }
}
