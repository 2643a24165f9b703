package io.dormouse.sim.cluster;

import io.dormouse.api.v1alpha1.GpuTier;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one simulated node pool per GpuTier: nodes labelled with the tier's node selector, tainted
 * as its tolerations expect, with the configured GPU count; plus one CPU node for everything else.
 * A tier with {@code spec.nodePool} has no pre-made nodes: Karpenter launches them. Changing a pool
 * at run time adds or removes nodes, as a cloud's node pool would.
 */
final class NodeProvisioner extends ControlLoop {

  static final String LABEL_POOL = "sim.dormouse.io/pool";
  static final String CPU_NODE = "sim-cpu-node";
  private static final Logger LOG = LoggerFactory.getLogger(NodeProvisioner.class);

  private final KubernetesClient client;
  private final Map<String, NodePool> pools = new ConcurrentHashMap<>();
  private final NodePool defaultPool;

  NodeProvisioner(KubernetesClient client, Map<String, NodePool> pools, NodePool defaultPool) {
    super("nodes", Duration.ofSeconds(2));
    this.client = client;
    this.pools.putAll(pools);
    this.defaultPool = defaultPool;
  }

  @Override
  void start() {
    watch(client.resources(GpuTier.class));
    super.start();
  }

  void setPool(String tier, NodePool pool) {
    pools.put(tier, pool);
    poke();
  }

  @Override
  protected void reconcile() {
    Map<String, Node> existing = new LinkedHashMap<>();
    client
        .nodes()
        .withLabel(LABEL_POOL)
        .list()
        .getItems()
        .forEach(n -> existing.put(n.getMetadata().getName(), n));
    Set<String> wanted = new HashSet<>();
    wanted.add(CPU_NODE);
    apply(existing.get(CPU_NODE), node(CPU_NODE, "cpu", Map.of(), List.of(), null, 0));
    for (GpuTier tier : client.resources(GpuTier.class).list().getItems()) {
      String name = tier.getMetadata().getName();
      if (tier.getSpec().getNodePool() != null) {
        continue; // Karpenter launches this tier's nodes (KarpenterProvisioner)
      }
      NodePool pool = pools.getOrDefault(name, defaultPool);
      List<Taint> taints =
          tier.getSpec().getTolerations().stream()
              .filter(t -> t.getKey() != null && t.getEffect() != null)
              .map(
                  t ->
                      new TaintBuilder()
                          .withKey(t.getKey())
                          .withValue(t.getValue())
                          .withEffect(t.getEffect())
                          .build())
              .toList();
      for (int i = 0; i < pool.nodes(); i++) {
        String nodeName = name + "-node-" + i;
        wanted.add(nodeName);
        apply(
            existing.get(nodeName),
            node(
                nodeName,
                name,
                tier.getSpec().getNodeSelector(),
                taints,
                tier.getSpec().getGpuResource(),
                pool.gpusPerNode()));
      }
    }
    existing.keySet().stream()
        .filter(n -> !wanted.contains(n))
        .forEach(
            n -> {
              LOG.info("node {}: removed from its pool", n);
              client.nodes().withName(n).delete();
            });
  }

  private void apply(Node current, Node desired) {
    if (current == null) {
      LOG.info(
          "node {}: added, allocatable {}",
          desired.getMetadata().getName(),
          desired.getStatus().getAllocatable());
      client.nodes().resource(desired).create();
      return;
    }
    if (!Objects.equals(current.getMetadata().getLabels(), desired.getMetadata().getLabels())
        || !Objects.equals(current.getSpec().getTaints(), desired.getSpec().getTaints())
        || !Objects.equals(
            current.getStatus().getAllocatable(), desired.getStatus().getAllocatable())) {
      desired.getMetadata().setResourceVersion(null);
      client.nodes().resource(desired).update();
    }
  }

  private static Node node(
      String name,
      String pool,
      Map<String, String> selector,
      List<Taint> taints,
      String gpuResource,
      int gpus) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (selector != null) {
      labels.putAll(selector);
    }
    labels.put(LABEL_POOL, pool);
    labels.put("kubernetes.io/hostname", name);
    Map<String, Quantity> allocatable = new LinkedHashMap<>();
    allocatable.put("cpu", new Quantity("96"));
    allocatable.put("memory", new Quantity("1Ti"));
    allocatable.put("pods", new Quantity("110"));
    if (gpuResource != null) {
      allocatable.put(gpuResource, new Quantity(Integer.toString(gpus)));
    }
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withTaints(taints)
        .endSpec()
        .withNewStatus()
        .withCapacity(allocatable)
        .withAllocatable(allocatable)
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withReason("KubeletReady")
        .endCondition()
        .endStatus()
        .build();
  }
}
