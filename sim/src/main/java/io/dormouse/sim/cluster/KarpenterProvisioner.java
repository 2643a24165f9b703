package io.dormouse.sim.cluster;

import io.dormouse.api.duration.GoDuration;
import io.dormouse.api.v1alpha1.Wiring;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.karpenter.v1.NodePool;
import sh.karpenter.v1.nodepoolspec.template.spec.Requirements;
import sh.karpenter.v1.nodepoolspec.template.spec.Taints;

/**
 * Karpenter, as far as Dormouse meets it: for each pod the scheduler finds no node for, a NodePool
 * whose template it fits (node selector against the template's labels and requirements, its taints
 * tolerated) gets a NodeClaim, and after the provisioning delay a Ready Node of the smallest GPU
 * count that holds the pod, within the NodePool's limits. A node with no pod on it goes after the
 * NodePool's {@code consolidateAfter}. A spot interruption taints the node {@code
 * karpenter.sh/disrupted}, evicts its pods and removes it after the notice. Every NodePool reads
 * Ready. What every node lived is kept as the sim's ground truth ({@link NodeLifetime}).
 */
final class KarpenterProvisioner extends ControlLoop {

  static final String LABEL_NODEPOOL = "karpenter.sh/nodepool";
  static final String LABEL_CAPACITY_TYPE = "karpenter.sh/capacity-type";
  static final String LABEL_INSTANCE_TYPE = "node.kubernetes.io/instance-type";
  static final String TAINT_DISRUPTED = "karpenter.sh/disrupted";
  static final String NODECLAIM_API = "karpenter.sh/v1";
  static final String NODECLAIM_KIND = "NodeClaim";

  private static final Logger LOG = LoggerFactory.getLogger(KarpenterProvisioner.class);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final KubernetesClient client;
  private final Duration provisioningDelay;
  private final EventRecorder events;
  private final Map<String, Claim> claims = new ConcurrentHashMap<>();

  /** Pending pod uid → the claim launched for it. */
  private final Map<String, String> nominated = new ConcurrentHashMap<>();

  private final Map<String, Instant> emptySince = new HashMap<>();
  private final Set<String> unavailable = ConcurrentHashMap.newKeySet();
  private final Set<String> refusedPods = new HashSet<>();
  private final List<NodeLifetime> lifetimes = new CopyOnWriteArrayList<>();

  /** A node being launched or running. */
  private static final class Claim {
    final String name;
    final String nodePool;
    final String tier;
    final String capacityType;
    final String gpuResource;
    final int gpus;
    final Instant launchedAt;
    final Map<String, String> labels;
    final List<Taint> taints;
    Instant readyAt;
    Instant interruptedUntil;

    Claim(
        String name,
        String nodePool,
        String tier,
        String capacityType,
        String gpuResource,
        int gpus,
        Instant launchedAt,
        Map<String, String> labels,
        List<Taint> taints) {
      this.name = name;
      this.nodePool = nodePool;
      this.tier = tier;
      this.capacityType = capacityType;
      this.gpuResource = gpuResource;
      this.gpus = gpus;
      this.launchedAt = launchedAt;
      this.labels = labels;
      this.taints = taints;
    }
  }

  KarpenterProvisioner(KubernetesClient client, Duration provisioningDelay) {
    super("karpenter", Duration.ofSeconds(1));
    this.client = client;
    this.provisioningDelay = provisioningDelay;
    this.events = new EventRecorder(client, "karpenter");
  }

  @Override
  void start() {
    watch(client.pods().inAnyNamespace());
    watch(client.resources(NodePool.class));
    super.start();
  }

  /** Whether a NodePool can get nodes now; without capacity, launches fail (spot gone). */
  void capacity(String nodePool, boolean available) {
    if (available) {
      unavailable.remove(nodePool);
    } else {
      unavailable.add(nodePool);
    }
    poke();
  }

  /**
   * A spot interruption of {@code node}: tainted {@code karpenter.sh/disrupted:NoSchedule} and its
   * pods evicted at once, the node removed after {@code notice} (two minutes on AWS).
   */
  void interrupt(String node, Duration notice) {
    after(
        Duration.ZERO,
        () -> {
          Claim c = claims.get(node);
          if (c == null || c.readyAt == null) {
            throw new IllegalArgumentException("no node " + node + " launched by Karpenter");
          }
          c.interruptedUntil = Instant.now().plus(notice);
          Node n = client.nodes().withName(node).get();
          if (n != null) {
            events.warning(n, "SpotInterrupted", "Spot interruption warning was triggered");
          }
          writeNode(c);
          for (Pod pod : podsOn(node)) {
            LOG.info("node {}: interrupted; evicting pod {}", node, pod.getMetadata().getName());
            events.normal(pod, "Evicted", "Evicted pod: node " + node + " is being interrupted");
            client.pods().resource(pod).delete();
          }
          after(notice, this::poke);
        });
  }

  List<NodeLifetime> lifetimes() {
    List<NodeLifetime> all = new ArrayList<>(lifetimes);
    for (Claim c : claims.values()) {
      if (c.readyAt != null) {
        all.add(lifetime(c, null));
      }
    }
    return all;
  }

  @Override
  protected void reconcile() {
    Instant now = Instant.now();
    List<NodePool> pools = client.resources(NodePool.class).list().getItems();
    Map<String, NodePool> byName = new LinkedHashMap<>();
    pools.forEach(p -> byName.put(p.getMetadata().getName(), p));
    List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
    launchForPendingPods(pods, byName, now);
    registerLaunched(now);
    removeEmptyAndInterrupted(pods, byName, now);
    reportPools(pools);
  }

  private void launchForPendingPods(List<Pod> pods, Map<String, NodePool> pools, Instant now) {
    Set<String> pending = new HashSet<>();
    for (Pod pod : pods) {
      if (Pods.scheduled(pod) || Pods.terminating(pod) || !unschedulable(pod)) {
        continue;
      }
      String uid = pod.getMetadata().getUid();
      pending.add(uid);
      String claim = nominated.get(uid);
      if (claim != null && claims.containsKey(claim)) {
        Claim c = claims.get(claim);
        // Launched for it and not registered long ago: the scheduler will place it there.
        if (c.readyAt == null || c.readyAt.plusSeconds(5).isAfter(now)) {
          continue;
        }
      }
      Map<String, Long> wants = Pods.extendedRequests(pod);
      for (NodePool pool : pools.values()) {
        if (!fits(pod, pool)) {
          continue;
        }
        launch(pod, pool, wants, now);
        break;
      }
    }
    nominated.keySet().retainAll(pending);
    refusedPods.retainAll(pending);
  }

  private void launch(Pod pod, NodePool pool, Map<String, Long> wants, Instant now) {
    String poolName = pool.getMetadata().getName();
    String uid = pod.getMetadata().getUid();
    Map.Entry<String, Long> gpu =
        wants.entrySet().stream().findFirst().orElse(Map.entry("nvidia.com/gpu", 0L));
    int gpus = instanceGpus(gpu.getValue());
    if (unavailable.contains(poolName)) {
      refuse(
          pod,
          "InsufficientCapacityError",
          "could not launch a node for nodepool " + poolName + ": no capacity available");
      return;
    }
    long limit = limit(pool, gpu.getKey());
    long inUse =
        claims.values().stream()
            .filter(c -> c.nodePool.equals(poolName) && gpu.getKey().equals(c.gpuResource))
            .mapToLong(c -> c.gpus)
            .sum();
    if (inUse + gpus > limit) {
      refuse(
          pod,
          "FailedScheduling",
          "all available instance types exceed limits for nodepool: \"" + poolName + "\"");
      return;
    }
    String name =
        poolName + "-" + Long.toString(SEQUENCE.incrementAndGet(), 36).toLowerCase(Locale.ROOT);
    Map<String, String> labels = nodeLabels(pool, name, gpus);
    Claim c =
        new Claim(
            name,
            poolName,
            labels.get(Wiring.LABEL_TIER),
            labels.get(LABEL_CAPACITY_TYPE),
            gpu.getKey(),
            gpus,
            now,
            labels,
            taints(pool));
    claims.put(name, c);
    nominated.put(uid, name);
    createNodeClaim(c, pool);
    events.normal(pod, "Nominated", "Pod should schedule on: nodeclaim/" + name);
    LOG.info(
        "nodepool {}: launching nodeclaim {} ({} x {}) for pod {}/{}, ready in {}",
        poolName,
        name,
        gpus,
        gpu.getKey(),
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(),
        provisioningDelay);
    after(provisioningDelay, this::poke);
  }

  private void refuse(Pod pod, String reason, String message) {
    if (refusedPods.add(pod.getMetadata().getUid() + reason)) {
      LOG.info("pod {}: not provisioned: {}", pod.getMetadata().getName(), message);
      events.warning(pod, reason, message);
    }
  }

  private void registerLaunched(Instant now) {
    for (Claim c : claims.values()) {
      if (c.readyAt != null || now.isBefore(c.launchedAt.plus(provisioningDelay))) {
        continue;
      }
      c.readyAt = now;
      try {
        writeNode(c);
      } catch (KubernetesClientException e) {
        c.readyAt = null;
        throw e;
      }
      patchClaimStatus(c);
      LOG.info("nodeclaim {}: node registered and ready", c.name);
    }
  }

  private void removeEmptyAndInterrupted(List<Pod> pods, Map<String, NodePool> pools, Instant now) {
    Set<String> busy = new HashSet<>();
    for (Pod pod : pods) {
      if (Pods.scheduled(pod) && !Pods.finished(pod)) {
        busy.add(pod.getSpec().getNodeName());
      }
    }
    for (Claim c : new ArrayList<>(claims.values())) {
      if (c.interruptedUntil != null) {
        if (!now.isBefore(c.interruptedUntil)) {
          remove(c, now, "interrupted");
        }
        continue;
      }
      NodePool pool = pools.get(c.nodePool);
      if (pool == null) {
        // Deleting a NodePool deletes its nodes.
        remove(c, now, "its NodePool is gone");
        continue;
      }
      if (c.readyAt == null) {
        continue;
      }
      if (busy.contains(c.name)) {
        emptySince.remove(c.name);
        continue;
      }
      Optional<Duration> idle = consolidateAfter(pool);
      if (idle.isEmpty()) {
        continue;
      }
      Instant since = emptySince.computeIfAbsent(c.name, k -> now);
      Instant due = since.plus(idle.get());
      if (now.isBefore(due)) {
        after(Duration.between(now, due), this::poke);
        continue;
      }
      Node node = client.nodes().withName(c.name).get();
      if (node != null) {
        events.normal(node, "DisruptionTerminating", "Disrupting Node: Empty");
      }
      remove(c, now, "empty for " + GoDuration.format(idle.get()));
    }
  }

  private void remove(Claim c, Instant now, String why) {
    // The ground truth first: whoever sees the node gone finds its end recorded.
    if (c.readyAt != null) {
      lifetimes.add(lifetime(c, now));
    }
    claims.remove(c.name);
    emptySince.remove(c.name);
    client.nodes().withName(c.name).delete();
    client.genericKubernetesResources(NODECLAIM_API, NODECLAIM_KIND).withName(c.name).delete();
    LOG.info("nodeclaim {}: node removed ({})", c.name, why);
  }

  private static NodeLifetime lifetime(Claim c, Instant deletedAt) {
    return new NodeLifetime(
        c.name, c.nodePool, c.tier, c.capacityType, c.gpuResource, c.gpus, c.readyAt, deletedAt);
  }

  /** Karpenter reads a NodePool Ready once its node class resolves; the sim's always does. */
  private void reportPools(List<NodePool> pools) {
    for (NodePool pool : pools) {
      String name = pool.getMetadata().getName();
      long nodes = claims.values().stream().filter(c -> c.nodePool.equals(name)).count();
      Map<String, Long> gpus = new LinkedHashMap<>();
      claims.values().stream()
          .filter(c -> c.nodePool.equals(name))
          .forEach(c -> gpus.merge(c.gpuResource, (long) c.gpus, Long::sum));
      Map<String, Object> resources = new LinkedHashMap<>();
      resources.put("nodes", Long.toString(nodes));
      gpus.forEach((r, n) -> resources.put(r, Long.toString(n)));
      boolean ready =
          pool.getStatus() != null
              && pool.getStatus().getConditions() != null
              && pool.getStatus().getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      Map<String, String> current =
          pool.getStatus() == null || pool.getStatus().getResources() == null
              ? Map.of()
              : toStrings(pool.getStatus().getResources());
      if (ready && current.equals(toStrings(resources))) {
        continue;
      }
      Map<String, Object> condition = new LinkedHashMap<>();
      condition.put("type", "Ready");
      condition.put("status", "True");
      condition.put("reason", "Ready");
      condition.put("message", "");
      condition.put("lastTransitionTime", ready ? readyTime(pool) : Pods.now());
      condition.put(
          "observedGeneration",
          pool.getMetadata().getGeneration() == null ? 1L : pool.getMetadata().getGeneration());
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("conditions", List.of(condition));
      status.put("resources", resources);
      try {
        client
            .resources(NodePool.class)
            .withName(name)
            .subresource("status")
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                Serialization.asJson(Map.of("status", status)));
      } catch (KubernetesClientException e) {
        LOG.debug("nodepool {}: status not written: {}", name, e.getMessage());
      }
    }
  }

  private static String readyTime(NodePool pool) {
    return pool.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(
            c ->
                c.getLastTransitionTime() == null
                    ? Pods.now()
                    : c.getLastTransitionTime().toInstant().toString())
        .findFirst()
        .orElse(Pods.now());
  }

  private static Map<String, String> toStrings(Map<String, ?> map) {
    Map<String, String> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(k, String.valueOf(v instanceof Quantity q ? q.toString() : v)));
    return out;
  }

  private void writeNode(Claim c) {
    Map<String, Quantity> allocatable = new LinkedHashMap<>();
    allocatable.put("cpu", new Quantity("96"));
    allocatable.put("memory", new Quantity("1Ti"));
    allocatable.put("pods", new Quantity("110"));
    allocatable.put(c.gpuResource, new Quantity(Integer.toString(c.gpus)));
    List<Taint> taints = new ArrayList<>(c.taints);
    if (c.interruptedUntil != null) {
      taints.add(new TaintBuilder().withKey(TAINT_DISRUPTED).withEffect("NoSchedule").build());
    }
    String ready = Pods.now();
    Node existing = client.nodes().withName(c.name).get();
    if (existing != null
        && existing.getStatus() != null
        && existing.getStatus().getConditions() != null) {
      ready =
          existing.getStatus().getConditions().stream()
              .filter(x -> "Ready".equals(x.getType()))
              .map(x -> x.getLastTransitionTime())
              .filter(Objects::nonNull)
              .findFirst()
              .orElse(ready);
    }
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(c.name)
            .withLabels(c.labels)
            .endMetadata()
            .withNewSpec()
            .withProviderID("sim://karpenter/" + c.name)
            .withTaints(taints)
            .endSpec()
            .withNewStatus()
            .withCapacity(allocatable)
            .withAllocatable(allocatable)
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .withReason("KubeletReady")
            .withMessage("kubelet is posting ready status")
            .withLastTransitionTime(ready)
            .endCondition()
            .endStatus()
            .build();
    if (existing == null) {
      client.nodes().resource(node).create();
    } else {
      node.getMetadata().setResourceVersion(null);
      client.nodes().resource(node).update();
    }
  }

  private void createNodeClaim(Claim c, NodePool pool) {
    Map<String, Object> spec = new LinkedHashMap<>();
    var template = pool.getSpec().getTemplate().getSpec();
    Map<String, Object> nodeClassRef = new LinkedHashMap<>();
    nodeClassRef.put("group", template.getNodeClassRef().getGroup());
    nodeClassRef.put("kind", template.getNodeClassRef().getKind());
    nodeClassRef.put("name", template.getNodeClassRef().getName());
    spec.put("nodeClassRef", nodeClassRef);
    List<Map<String, Object>> requirements = new ArrayList<>();
    requirements.add(
        Map.of("key", LABEL_NODEPOOL, "operator", "In", "values", List.of(c.nodePool)));
    requirements.add(
        Map.of(
            "key",
            LABEL_INSTANCE_TYPE,
            "operator",
            "In",
            "values",
            List.of(c.labels.get(LABEL_INSTANCE_TYPE))));
    spec.put("requirements", requirements);
    spec.put("resources", Map.of("requests", Map.of(c.gpuResource, Integer.toString(c.gpus))));
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", c.name);
    metadata.put("labels", Map.of(LABEL_NODEPOOL, c.nodePool));
    metadata.put(
        "ownerReferences",
        List.of(
            Map.of(
                "apiVersion",
                "karpenter.sh/v1",
                "kind",
                "NodePool",
                "name",
                c.nodePool,
                "uid",
                pool.getMetadata().getUid(),
                "blockOwnerDeletion",
                true)));
    GenericKubernetesResource claim = new GenericKubernetesResource();
    claim.setApiVersion(NODECLAIM_API);
    claim.setKind(NODECLAIM_KIND);
    claim.setMetadata(
        Serialization.unmarshal(
            Serialization.asJson(metadata), io.fabric8.kubernetes.api.model.ObjectMeta.class));
    claim.setAdditionalProperty("spec", spec);
    try {
      client.genericKubernetesResources(NODECLAIM_API, NODECLAIM_KIND).resource(claim).create();
    } catch (KubernetesClientException e) {
      LOG.debug("nodeclaim {}: not written: {}", c.name, e.getMessage());
    }
  }

  private void patchClaimStatus(Claim c) {
    List<Map<String, Object>> conditions = new ArrayList<>();
    for (String type : List.of("Launched", "Registered", "Initialized", "Ready")) {
      conditions.add(
          Map.of(
              "type",
              type,
              "status",
              "True",
              "reason",
              type,
              "message",
              "",
              "lastTransitionTime",
              Pods.now()));
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("nodeName", c.name);
    status.put("providerID", "sim://karpenter/" + c.name);
    status.put("capacity", Map.of(c.gpuResource, Integer.toString(c.gpus)));
    status.put("conditions", conditions);
    try {
      client
          .genericKubernetesResources(NODECLAIM_API, NODECLAIM_KIND)
          .withName(c.name)
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              Serialization.asJson(Map.of("status", status)));
    } catch (KubernetesClientException e) {
      LOG.debug("nodeclaim {}: status not written: {}", c.name, e.getMessage());
    }
  }

  private List<Pod> podsOn(String node) {
    return client.pods().inAnyNamespace().list().getItems().stream()
        .filter(p -> node.equals(p.getSpec().getNodeName()) && !Pods.terminating(p))
        .toList();
  }

  private static boolean unschedulable(Pod pod) {
    return Pods.condition(pod, "PodScheduled")
        .map(c -> "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()))
        .orElse(false);
  }

  /** The pod's node selector holds on the template's nodes, and it tolerates their taints. */
  static boolean fits(Pod pod, NodePool pool) {
    if (pool.getSpec() == null || pool.getSpec().getTemplate() == null) {
      return false;
    }
    Map<String, String> labels = templateLabels(pool);
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    if (selector == null || selector.isEmpty()) {
      return false; // a pod that wants no particular node is not ours to launch GPUs for
    }
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (Taint taint : taints(pool)) {
      if (!Scheduler.tolerated(taint, pod.getSpec().getTolerations())) {
        return false;
      }
    }
    return true;
  }

  /** The labels every node of the pool carries: template labels and single-valued In's. */
  private static Map<String, String> templateLabels(NodePool pool) {
    Map<String, String> labels = new LinkedHashMap<>();
    var template = pool.getSpec().getTemplate();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    if (template.getSpec() != null && template.getSpec().getRequirements() != null) {
      for (Requirements r : template.getSpec().getRequirements()) {
        if (r.getOperator() == Requirements.Operator.IN
            && r.getValues() != null
            && !r.getValues().isEmpty()) {
          labels.put(r.getKey(), r.getValues().get(0));
        }
      }
    }
    labels.put(LABEL_NODEPOOL, pool.getMetadata().getName());
    return labels;
  }

  private static Map<String, String> nodeLabels(NodePool pool, String name, int gpus) {
    Map<String, String> labels = templateLabels(pool);
    labels.putIfAbsent(LABEL_CAPACITY_TYPE, "on-demand");
    labels.putIfAbsent(LABEL_INSTANCE_TYPE, "sim-gpu-" + gpus + "x");
    labels.put("kubernetes.io/hostname", name);
    labels.put("karpenter.sh/registered", "true");
    labels.put("karpenter.sh/initialized", "true");
    return labels;
  }

  private static List<Taint> taints(NodePool pool) {
    var spec = pool.getSpec().getTemplate().getSpec();
    if (spec == null || spec.getTaints() == null) {
      return List.of();
    }
    List<Taint> taints = new ArrayList<>();
    for (Taints t : spec.getTaints()) {
      taints.add(
          new TaintBuilder()
              .withKey(t.getKey())
              .withValue(t.getValue())
              .withEffect(t.getEffect() == null ? null : t.getEffect().getValue())
              .build());
    }
    return taints;
  }

  private static long limit(NodePool pool, String resource) {
    Map<String, IntOrString> limits = pool.getSpec().getLimits();
    if (limits == null || !limits.containsKey(resource)) {
      return Long.MAX_VALUE;
    }
    IntOrString v = limits.get(resource);
    return v.getIntVal() != null ? v.getIntVal() : Long.parseLong(v.getStrVal());
  }

  private static Optional<Duration> consolidateAfter(NodePool pool) {
    var disruption = pool.getSpec().getDisruption();
    String after = disruption == null ? null : disruption.getConsolidateAfter();
    if (after == null || "Never".equals(after)) {
      return Optional.empty();
    }
    return Optional.of(GoDuration.parse(after));
  }

  /** The smallest GPU instance that holds the pod: 1, 2, 4 or 8 GPUs. */
  static int instanceGpus(long wanted) {
    for (int n : new int[] {1, 2, 4, 8}) {
      if (n >= wanted) {
        return n;
      }
    }
    return (int) wanted;
  }
}
