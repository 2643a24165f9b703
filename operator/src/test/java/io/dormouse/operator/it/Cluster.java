package io.dormouse.operator.it;

import io.dormouse.api.v1alpha1.AccessSpec;
import io.dormouse.api.v1alpha1.CapacityType;
import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.operator.testing.MutableClock;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The test's side of the mock API server: it installs the CRDs, makes tiers and endpoints, and
 * stands in for the kubelet and the Deployment controller where the operator needs them.
 */
final class Cluster {

  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  static final String NS = "team";

  final KubernetesClient client;
  final MutableClock clock;

  Cluster(KubernetesClient client, MutableClock clock) {
    this.client = client;
    this.clock = clock;
  }

  void installCrds() throws Exception {
    for (String crd :
        List.of(
            "inferenceendpoints.dormouse.io-v1.yml",
            "gputiers.dormouse.io-v1.yml",
            "webhooks.dormouse.io-v1.yml")) {
      try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + crd)) {
        client.apiextensions().v1().customResourceDefinitions().load(in).create();
      }
    }
  }

  GpuTier tier(String name, Integer maxGpus) {
    GpuTier tier = new GpuTier();
    tier.setMetadata(new ObjectMeta());
    tier.getMetadata().setName(name);
    tier.getSpec().setCapacityType(CapacityType.ON_DEMAND);
    tier.getSpec().setMaxGpus(maxGpus);
    tier.getSpec().setNodeSelector(Map.of("pool", name));
    return client.resource(tier).create();
  }

  InferenceEndpoint endpoint(String name, String... tiers) {
    InferenceEndpoint ep = new InferenceEndpoint();
    ep.setMetadata(new ObjectMeta());
    ep.getMetadata().setName(name);
    ep.getMetadata().setNamespace(NS);
    ep.getSpec().getModel().setName("meta-llama/Meta-Llama-3-8B-Instruct");
    ep.getSpec().setTiers(List.of(tiers));
    AccessSpec access = new AccessSpec();
    access.setPublic(true);
    ep.getSpec().setAccess(access);
    return client.resource(ep).create();
  }

  InferenceEndpoint get(String name) {
    return client.resources(InferenceEndpoint.class).inNamespace(NS).withName(name).get();
  }

  Deployment deployment(String endpoint, String tier) {
    return client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName(Wiring.engineName(endpoint, tier))
        .get();
  }

  int replicas(String endpoint, String tier) {
    Deployment d = deployment(endpoint, tier);
    return d == null ? -1 : d.getSpec().getReplicas();
  }

  /** What a gateway does on a request: renew the activity Lease at the current time. */
  void request(String endpoint) {
    renew(NS, Wiring.activityLeaseName(endpoint));
  }

  /**
   * A Lease as someone other than the operator writes it: the given labels, no owner reference,
   * renewed now by {@code holder} (or never, when {@code renewed} is false).
   */
  Lease foreignLease(
      String namespace, String name, Map<String, String> labels, String holder, boolean renewed) {
    return client
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(holder)
                .withRenewTime(
                    renewed ? ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC) : null)
                .endSpec()
                .build())
        .create();
  }

  /**
   * The activity Lease a gateway makes for an endpoint before the operator has: labelled, unowned.
   */
  Lease gatewayLease(String endpoint) {
    return foreignLease(
        NS,
        Wiring.activityLeaseName(endpoint),
        Map.of(Wiring.LABEL_ENDPOINT, endpoint, Wiring.MANAGED_BY, Wiring.MANAGED_BY_VALUE),
        "gateway-0",
        true);
  }

  Lease lease(String namespace, String name) {
    return client.leases().inNamespace(namespace).withName(name).get();
  }

  /** Renews any Lease at the current time, as its holder would. */
  void renew(String namespace, String name) {
    client
        .leases()
        .inNamespace(namespace)
        .withName(name)
        .patch(
            MERGE,
            "{\"spec\":{\"renewTime\":\"" + MicroTimeFormat.format(clock.instant()) + "\"}}");
  }

  /** Adds a label to any Lease. */
  void label(String namespace, String name, String key, String value) {
    client
        .leases()
        .inNamespace(namespace)
        .withName(name)
        .patch(MERGE, "{\"metadata\":{\"labels\":{\"" + key + "\":\"" + value + "\"}}}");
  }

  /** The scheduler's verdict on a new pod of the tier: no node fits. */
  void unschedulablePod(String endpoint, String tier) {
    Instant now = clock.instant();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(Wiring.engineName(endpoint, tier) + "-0")
            .withNamespace(NS)
            .addToLabels(Wiring.LABEL_ENDPOINT, endpoint)
            .addToLabels(Wiring.LABEL_TIER, tier)
            .addToLabels(Wiring.LABEL_ROLE, Wiring.ROLE_ENGINE)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("engine")
            .withImage("vllm")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Pending")
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withLastTransitionTime(now.toString())
            .endCondition()
            .endStatus()
            .build();
    client.resource(pod).create();
  }

  /** A scheduled engine pod whose container waits on {@code reason}, made now. */
  void waitingPod(String endpoint, String tier, String reason, String message) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(Wiring.engineName(endpoint, tier) + "-0")
            .withNamespace(NS)
            .withCreationTimestamp(clock.instant().toString())
            .addToLabels(Wiring.LABEL_ENDPOINT, endpoint)
            .addToLabels(Wiring.LABEL_TIER, tier)
            .addToLabels(Wiring.LABEL_ROLE, Wiring.ROLE_ENGINE)
            .endMetadata()
            .withNewSpec()
            .withNodeName("gpu-node-1")
            .addNewContainer()
            .withName("engine")
            .withImage("vllm")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Pending")
            .withStartTime(clock.instant().toString())
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("True")
            .withLastTransitionTime(clock.instant().toString())
            .endCondition()
            .addNewContainerStatus()
            .withName("engine")
            .withNewState()
            .withNewWaiting()
            .withReason(reason)
            .withMessage(message)
            .endWaiting()
            .endState()
            .endContainerStatus()
            .endStatus()
            .build();
    client.resource(pod).create();
  }

  /** metav1.MicroTime: RFC 3339 with microseconds. */
  private static final class MicroTimeFormat {
    private static final DateTimeFormatter F =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);

    static String format(Instant instant) {
      return F.format(instant);
    }
  }

  void deletePods() {
    client.pods().inNamespace(NS).delete();
  }

  /** The Deployment controller's report that {@code ready} replicas are ready. */
  void ready(String endpoint, String tier, int ready) {
    // Merge patches carry no resourceVersion, so they never conflict with the operator's writes.
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName(Wiring.engineName(endpoint, tier))
        .subresource("status")
        .patch(MERGE, "{\"status\":{\"replicas\":" + ready + ",\"readyReplicas\":" + ready + "}}");
  }

  List<String> eventReasons(String endpoint) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> endpoint.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }
}
