package io.dormouse.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.operator.resources.GpuNodePool;
import io.dormouse.operator.resources.NodePoolOwnership;
import io.dormouse.operator.tiers.NodePoolObservation;
import io.dormouse.operator.tiers.NodePoolObservation.State;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.karpenter.v1.NodePool;

/**
 * The I/O around each tier's Karpenter NodePool: whether the cluster serves the NodePool API at
 * all, a watch on NodePools only while it does, and creating, putting back or deleting the tier's
 * own. Without Karpenter the operator neither fails nor retries in a loop: the tier says so in its
 * status, and the API is looked for again at most once per {@code recheck}.
 */
final class TierNodePools {

  static final String INFORMER = "nodepools";

  private static final Logger LOG = LoggerFactory.getLogger(TierNodePools.class);
  private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration recheck;
  private final TierJournal journal;

  private Boolean served;
  private Instant checkedAt;
  private InformerEventSource<NodePool, GpuTier> informer;

  TierNodePools(KubernetesClient client, Clock clock, Duration recheck, TierJournal journal) {
    this.client = client;
    this.clock = clock;
    this.recheck = recheck;
    this.journal = journal;
  }

  /** Brings the tier's NodePool in line with its spec, and says what became of it. */
  NodePoolObservation reconcile(GpuTier tier, Context<GpuTier> context) {
    String name = Wiring.nodePoolName(tier.getMetadata().getName());
    boolean karpenter = karpenterServed(context);
    NodePool existing = karpenter ? cached(name) : null;
    if (tier.getSpec().getNodePool() == null) {
      if (existing != null && owned(existing, tier)) {
        client.resource(existing).delete();
        journal.normal(
            tier,
            "NodePoolDeleted",
            "NodePool " + name + " deleted: the tier no longer has spec.nodePool");
      }
      return NodePoolObservation.none();
    }
    if (!karpenter) {
      return NodePoolObservation.of(State.KARPENTER_NOT_INSTALLED, name, null);
    }
    NodePool desired = GpuNodePool.build(tier);
    KubernetesSerialization json = client.getKubernetesSerialization();
    String hash = hash(json, desired);
    desired.getMetadata().getAnnotations().put(NodePoolOwnership.ANNOTATION_HASH, hash);
    if (existing == null) {
      try {
        NodePool created = client.resource(desired).create();
        remember(created, null);
        journal.normal(tier, "NodePoolCreated", "NodePool " + name + " created");
        return NodePoolObservation.of(State.APPLIED, name, created.getStatus());
      } catch (KubernetesClientException e) {
        if (e.getCode() == 422) {
          return NodePoolObservation.refused(name, refusal(e));
        }
        if (e.getCode() != 409) {
          throw e;
        }
        // Not in the cache yet, or not ours (the cache holds every NodePool, so rarely).
        existing = client.resources(NodePool.class).withName(name).get();
        if (existing == null) {
          throw e;
        }
      }
    }
    if (!owned(existing, tier)) {
      return NodePoolObservation.of(State.NOT_OWNED, name, null);
    }
    JsonNode have = json.convertValue(existing, JsonNode.class);
    JsonNode want = json.convertValue(desired, JsonNode.class);
    if (NodePoolOwnership.nodeClassKindChanged(have, want)) {
      return NodePoolObservation.of(State.NODE_CLASS_CHANGED, name, existing.getStatus());
    }
    ArrayNode patch = NodePoolOwnership.putBack(have, want);
    if (!patch.isEmpty()) {
      List<String> fields = NodePoolOwnership.changedFields(have, want);
      boolean handEdit =
          hash.equals(
              existing.getMetadata().getAnnotations().get(NodePoolOwnership.ANNOTATION_HASH));
      NodePool patched;
      try {
        patched =
            client.resources(NodePool.class).withName(name).patch(JSON_PATCH, json.asJson(patch));
      } catch (KubernetesClientException e) {
        if (e.getCode() == 422) {
          return NodePoolObservation.refused(name, refusal(e));
        }
        throw e;
      }
      remember(patched, existing);
      if (handEdit) {
        journal.warning(
            tier,
            "NodePoolRestored",
            "NodePool " + name + " was changed outside Dormouse; put back " + fields);
      } else {
        journal.normal(tier, "NodePoolUpdated", "NodePool " + name + " follows the tier's spec");
      }
    }
    return NodePoolObservation.of(State.APPLIED, name, existing.getStatus());
  }

  /**
   * The NodePool as just written, kept until the watch shows it: a reconcile in between must not
   * read the older copy and write (and report) the same put-back twice.
   */
  private synchronized void remember(NodePool written, NodePool before) {
    if (informer == null || written == null) {
      return;
    }
    ResourceID id = ResourceID.fromResource(written);
    if (before == null) {
      informer.handleRecentResourceCreate(id, written);
    } else {
      informer.handleRecentResourceUpdate(id, written, before);
    }
  }

  /** The API server's reason, without the client's preamble. */
  private static String refusal(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage()
        : e.getMessage();
  }

  /**
   * Whether the cluster serves {@code karpenter.sh/v1} NodePools, looked up through discovery at
   * most once per {@code recheck}; the NodePool watch runs exactly while it does.
   */
  private synchronized boolean karpenterServed(Context<GpuTier> context) {
    Instant now = clock.instant();
    if (checkedAt == null || !now.isBefore(checkedAt.plus(recheck))) {
      // Failed or not, the next look is one interval away: a broken discovery is no busy loop.
      checkedAt = now;
      try {
        Boolean before = served;
        served = nodePoolsServed();
        if (!served.equals(before)) {
          LOG.info(
              "the karpenter.sh/v1 NodePool API is {}",
              served ? "served: tiers with spec.nodePool get their NodePools" : "not served");
        }
      } catch (KubernetesClientException e) {
        // Keep the last answer (none at first: not served) until the next look.
        LOG.warn("API discovery of karpenter.sh/v1 failed: {}", e.getMessage());
      }
    }
    if (served == null) {
      return false;
    }
    if (served && informer == null) {
      InformerEventSource<NodePool, GpuTier> watch = nodePoolInformer(context);
      context.eventSourceRetriever().dynamicallyRegisterEventSource(watch);
      informer = watch;
    } else if (!served && informer != null) {
      // Karpenter was uninstalled: a watch on a vanished API would only log errors.
      context.eventSourceRetriever().dynamicallyDeRegisterEventSource(INFORMER);
      informer = null;
    }
    return served;
  }

  /**
   * Asked of the API group's discovery document, which every authenticated client may read (no RBAC
   * on CustomResourceDefinitions needed).
   */
  private boolean nodePoolsServed() {
    APIResourceList resources = client.getApiResources(HasMetadata.getApiVersion(NodePool.class));
    String plural = HasMetadata.getPlural(NodePool.class);
    return resources != null
        && resources.getResources() != null
        && resources.getResources().stream().anyMatch(r -> plural.equals(r.getName()));
  }

  private synchronized NodePool cached(String name) {
    return informer == null ? null : informer.get(new ResourceID(name)).orElse(null);
  }

  /** Every NodePool (a cluster has few), mapped to the GpuTier that owns it, if any. */
  private static InformerEventSource<NodePool, GpuTier> nodePoolInformer(Context<GpuTier> context) {
    String tierApiVersion = HasMetadata.getApiVersion(GpuTier.class);
    String tierKind = HasMetadata.getKind(GpuTier.class);
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(NodePool.class, GpuTier.class)
            .withName(INFORMER)
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(
                (NodePool pool) ->
                    pool.getMetadata().getOwnerReferences().stream()
                        .filter(
                            r ->
                                tierApiVersion.equals(r.getApiVersion())
                                    && tierKind.equals(r.getKind()))
                        .map(OwnerReference::getName)
                        .map(ResourceID::new)
                        .collect(Collectors.toSet()))
            .build(),
        context.eventSourceRetriever().eventSourceContextForDynamicRegistration());
  }

  private static boolean owned(NodePool pool, GpuTier tier) {
    return pool.getMetadata().getOwnerReferences().stream()
        .anyMatch(r -> tier.getMetadata().getUid().equals(r.getUid()));
  }

  private static String hash(KubernetesSerialization json, NodePool desired) {
    String text = json.asJson(desired.getSpec()) + json.asJson(desired.getMetadata().getLabels());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
