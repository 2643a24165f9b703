package io.dormouse.operator.reconcile;

import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.operator.lifecycle.Plan;
import io.dormouse.operator.presets.EffectiveSpec;
import io.dormouse.operator.resources.ActivityLease;
import io.dormouse.operator.resources.EngineDeployment;
import io.dormouse.operator.resources.EngineNetworkPolicy;
import io.dormouse.operator.resources.EngineService;
import io.dormouse.operator.resources.Ownership;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the endpoint's objects match the plan, writing only what differs. Each object carries a
 * hash of what the operator wanted last time, so defaults the API server fills in are no change.
 */
final class ResourceApplier {

  static final String ANNOTATION_HASH = "dormouse.io/desired-hash";
  private static final Logger LOG = LoggerFactory.getLogger(ResourceApplier.class);
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient client;
  private final String gatewayNamespace;

  ResourceApplier(KubernetesClient client, String gatewayNamespace) {
    this.client = client;
    this.gatewayNamespace = gatewayNamespace;
  }

  /** The endpoint's objects as the informers last saw them. */
  record Current(
      Map<String, Deployment> deployments,
      Map<String, Service> services,
      NetworkPolicy networkPolicy,
      Lease lease) {}

  void apply(
      InferenceEndpoint endpoint,
      EffectiveSpec spec,
      Map<String, GpuTier> tiers,
      Plan plan,
      Current current) {
    String name = endpoint.getMetadata().getName();
    for (String tier : endpoint.getSpec().getTiers()) {
      String objectName = Wiring.engineName(name, tier);
      int replicas = plan.replicasOf(tier);
      Deployment existing = current.deployments().get(objectName);
      GpuTier gpuTier = tiers.get(tier);
      if (spec == null || gpuTier == null) {
        // Nothing to build from: only make sure nothing runs.
        if (existing != null && !Objects.equals(existing.getSpec().getReplicas(), 0)) {
          scale(existing, 0);
        }
        continue;
      }
      Deployment desired =
          EngineDeployment.build(endpoint, spec, tier, gpuTier.getSpec(), replicas);
      String hash = hashOf(desired.getSpec().getTemplate(), desired.getMetadata());
      ensure(
          desired,
          existing,
          hash,
          d -> {
            d.setSpec(desired.getSpec());
            return d;
          });
      if (existing != null
          && hash.equals(annotation(existing))
          && !Objects.equals(existing.getSpec().getReplicas(), replicas)) {
        scale(existing, replicas);
      }
      Service service = EngineService.build(endpoint, tier);
      ensure(
          service,
          current.services().get(objectName),
          hashOf(service.getSpec(), service.getMetadata()),
          s -> {
            s.getSpec().setSelector(service.getSpec().getSelector());
            s.getSpec().setPorts(service.getSpec().getPorts());
            return s;
          });
    }
    removeObsoleteTiers(endpoint, current);
    NetworkPolicy policy = EngineNetworkPolicy.build(endpoint, gatewayNamespace);
    ensure(
        policy,
        current.networkPolicy(),
        hashOf(policy.getSpec(), policy.getMetadata()),
        p -> {
          p.setSpec(policy.getSpec());
          return p;
        });
    ensureLease(endpoint, current.lease());
  }

  /** Creates the object, or brings an existing one in line when its desired hash changed. */
  private <T extends HasMetadata> void ensure(
      T desired, T existing, String hash, UnaryOperator<T> adopt) {
    desired.getMetadata().getAnnotations().put(ANNOTATION_HASH, hash);
    if (existing == null) {
      try {
        client.resource(desired).create();
        LOG.info(
            "{} {}/{} created",
            desired.getKind(),
            namespace(desired),
            desired.getMetadata().getName());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // The informer has not shown it yet: it exists, so bring it in line below.
        existing = client.resource(desired).get();
        if (existing == null) {
          throw e;
        }
      }
    }
    if (hash.equals(annotation(existing))) {
      return;
    }
    client
        .resource(existing)
        .edit(
            o -> {
              T edited = adopt.apply(o);
              edited.getMetadata().setLabels(desired.getMetadata().getLabels());
              edited.getMetadata().getAnnotations().putAll(desired.getMetadata().getAnnotations());
              edited.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
              return edited;
            });
    LOG.info(
        "{} {}/{} updated", desired.getKind(), namespace(desired), desired.getMetadata().getName());
  }

  private void scale(Deployment deployment, int replicas) {
    // A merge patch on the cached object: no read first, no resourceVersion to conflict on.
    client.resource(deployment).patch(MERGE, "{\"spec\":{\"replicas\":" + replicas + "}}");
    LOG.info(
        "Deployment {}/{} scaled to {}",
        deployment.getMetadata().getNamespace(),
        deployment.getMetadata().getName(),
        replicas);
  }

  private void removeObsoleteTiers(InferenceEndpoint endpoint, Current current) {
    for (Deployment d : current.deployments().values()) {
      String tier = d.getMetadata().getLabels().get(Wiring.LABEL_TIER);
      if (tier != null && !endpoint.getSpec().getTiers().contains(tier)) {
        client.resource(d).delete();
        LOG.info(
            "Deployment {}/{} deleted: tier {} left spec.tiers",
            namespace(d),
            d.getMetadata().getName(),
            tier);
      }
    }
    for (Service s : current.services().values()) {
      String tier = s.getMetadata().getLabels().get(Wiring.LABEL_TIER);
      if (tier != null && !endpoint.getSpec().getTiers().contains(tier)) {
        client.resource(s).delete();
      }
    }
  }

  /** The Lease exists, owned by the endpoint; a gateway may have made it first, without owner. */
  private void ensureLease(InferenceEndpoint endpoint, Lease existing) {
    Lease desired = ActivityLease.build(endpoint);
    if (existing == null) {
      try {
        client.resource(desired).create();
        LOG.info("Lease {}/{} created", namespace(desired), desired.getMetadata().getName());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
      return;
    }
    String uid = endpoint.getMetadata().getUid();
    boolean owned =
        existing.getMetadata().getOwnerReferences() != null
            && existing.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> Objects.equals(r.getUid(), uid));
    if (!owned) {
      try {
        // A JSON patch from the informer's copy, carrying its resourceVersion: it adds to what
        // that copy shows, so the server refuses it if the Lease has moved on since.
        client
            .resource(existing)
            .edit(
                l -> {
                  l.getMetadata().getOwnerReferences().add(Ownership.ownerReference(endpoint));
                  l.getMetadata().getLabels().putAll(desired.getMetadata().getLabels());
                  return l;
                });
        LOG.info("Lease {}/{} adopted", namespace(existing), existing.getMetadata().getName());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // A gateway renewed it meanwhile, or an earlier reconcile already adopted it and the
        // informer has not shown that yet: the next reconcile works from the newer copy.
        LOG.debug(
            "Lease {}/{} changed before its adoption; retried on the next reconcile",
            namespace(existing),
            existing.getMetadata().getName());
      }
    }
  }

  private String hashOf(Object spec, io.fabric8.kubernetes.api.model.ObjectMeta meta) {
    String json =
        client.getKubernetesSerialization().asJson(spec)
            + client.getKubernetesSerialization().asJson(meta.getLabels())
            + client.getKubernetesSerialization().asJson(meta.getOwnerReferences());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String annotation(HasMetadata object) {
    return object.getMetadata().getAnnotations() == null
        ? null
        : object.getMetadata().getAnnotations().get(ANNOTATION_HASH);
  }

  private static String namespace(HasMetadata object) {
    return object.getMetadata().getNamespace();
  }
}
