package io.dormouse.sim.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds pending pods to nodes by node selector, taints and free GPUs. A pod that fits nowhere stays
 * Pending with PodScheduled=False, reason Unschedulable, and a FailedScheduling event, as
 * kube-scheduler reports it.
 */
final class Scheduler extends ControlLoop {

  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

  private final KubernetesClient client;
  private final EventRecorder events;

  Scheduler(KubernetesClient client) {
    super("scheduler", Duration.ofSeconds(1));
    this.client = client;
    this.events = new EventRecorder(client, "default-scheduler");
  }

  @Override
  void start() {
    watch(client.pods().inAnyNamespace());
    watch(client.nodes());
    watch(client.persistentVolumeClaims().inAnyNamespace());
    super.start();
  }

  @Override
  protected void reconcile() {
    List<Node> nodes = new ArrayList<>(client.nodes().list().getItems());
    nodes.sort(Comparator.comparing(n -> n.getMetadata().getName()));
    List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
    Map<String, Map<String, Long>> used = new HashMap<>();
    for (Pod pod : pods) {
      if (Pods.scheduled(pod) && !Pods.finished(pod)) {
        Pods.extendedRequests(pod)
            .forEach(
                (r, n) ->
                    used.computeIfAbsent(pod.getSpec().getNodeName(), k -> new HashMap<>())
                        .merge(r, n, Long::sum));
      }
    }
    pods.stream()
        .filter(p -> !Pods.scheduled(p) && !Pods.terminating(p))
        .sorted(
            Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp())
                .thenComparing(p -> p.getMetadata().getName()))
        .forEach(pod -> schedule(pod, nodes, used));
  }

  private void schedule(Pod pod, List<Node> nodes, Map<String, Map<String, Long>> used) {
    Optional<String> missingClaim = missingClaim(pod);
    if (missingClaim.isPresent()) {
      int n = nodes.size();
      unschedulable(
          pod,
          "0/"
              + n
              + " nodes are available: persistentvolumeclaim \""
              + missingClaim.get()
              + "\" not found. preemption: 0/"
              + n
              + " nodes are available: "
              + n
              + " Preemption is not helpful for scheduling.");
      return;
    }
    Map<String, Long> wants = Pods.extendedRequests(pod);
    Map<String, Integer> reasons = new TreeMap<>();
    Optional<Node> chosen = Optional.empty();
    for (Node node : nodes) {
      String reason =
          misfit(pod, wants, node, used.getOrDefault(node.getMetadata().getName(), Map.of()));
      if (reason == null) {
        chosen = Optional.of(node);
        break;
      }
      reasons.merge(reason, 1, Integer::sum);
    }
    if (chosen.isPresent()) {
      String nodeName = chosen.get().getMetadata().getName();
      bind(pod, chosen.get());
      wants.forEach(
          (r, n) -> used.computeIfAbsent(nodeName, k -> new HashMap<>()).merge(r, n, Long::sum));
    } else {
      StringBuilder message = new StringBuilder();
      message.append("0/").append(nodes.size()).append(" nodes are available: ");
      List<String> parts = new ArrayList<>();
      reasons.forEach((r, n) -> parts.add(n + " " + r));
      message.append(String.join(", ", parts)).append('.');
      unschedulable(pod, message.toString());
    }
  }

  /** The first PersistentVolumeClaim the pod mounts that does not exist. */
  private Optional<String> missingClaim(Pod pod) {
    if (pod.getSpec().getVolumes() == null) {
      return Optional.empty();
    }
    return pod.getSpec().getVolumes().stream()
        .filter(v -> v.getPersistentVolumeClaim() != null)
        .map(v -> v.getPersistentVolumeClaim().getClaimName())
        .filter(
            claim ->
                client
                        .persistentVolumeClaims()
                        .inNamespace(pod.getMetadata().getNamespace())
                        .withName(claim)
                        .get()
                    == null)
        .findFirst();
  }

  /** Why the pod does not fit the node, or null when it does. */
  private static String misfit(
      Pod pod, Map<String, Long> wants, Node node, Map<String, Long> used) {
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    Map<String, String> labels = node.getMetadata().getLabels();
    if (selector != null
        && !selector.entrySet().stream()
            .allMatch(e -> labels != null && e.getValue().equals(labels.get(e.getKey())))) {
      return "node(s) didn't match Pod's node affinity/selector";
    }
    for (Taint taint :
        node.getSpec().getTaints() == null ? List.<Taint>of() : node.getSpec().getTaints()) {
      if (("NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect()))
          && !tolerated(taint, pod.getSpec().getTolerations())) {
        return "node(s) had untolerated taint {" + taint.getKey() + ": " + taint.getValue() + "}";
      }
    }
    for (Map.Entry<String, Long> want : wants.entrySet()) {
      var allocatable = node.getStatus().getAllocatable().get(want.getKey());
      long has = allocatable == null ? 0 : allocatable.getNumericalAmount().longValue();
      if (has - used.getOrDefault(want.getKey(), 0L) < want.getValue()) {
        return "Insufficient " + want.getKey();
      }
    }
    return null;
  }

  static boolean tolerated(Taint taint, List<Toleration> tolerations) {
    if (tolerations == null) {
      return false;
    }
    return tolerations.stream()
        .anyMatch(
            t ->
                (t.getKey() == null || t.getKey().equals(taint.getKey()))
                    && (t.getEffect() == null || t.getEffect().equals(taint.getEffect()))
                    && ("Exists".equals(t.getOperator())
                        || java.util.Objects.equals(t.getValue(), taint.getValue())));
  }

  private void bind(Pod pod, Node node) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    List<PodCondition> conditions =
        Pods.withCondition(
            pod.getStatus() == null ? null : pod.getStatus().getConditions(),
            Pods.newCondition("PodScheduled", true, null, null));
    try {
      client
          .pods()
          .inNamespace(ns)
          .withName(name)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              Serialization.asJson(
                  Map.of(
                      "spec",
                      Map.of("nodeName", node.getMetadata().getName()),
                      "status",
                      Map.of("phase", "Pending", "conditions", conditions))));
    } catch (KubernetesClientException e) {
      LOG.debug("pod {}/{}: binding failed, retrying: {}", ns, name, e.getMessage());
      return;
    }
    LOG.info("pod {}/{}: scheduled on node {}", ns, name, node.getMetadata().getName());
    events.normal(
        pod,
        "Scheduled",
        "Successfully assigned " + ns + "/" + name + " to " + node.getMetadata().getName());
  }

  private void unschedulable(Pod pod, String message) {
    Optional<PodCondition> current = Pods.condition(pod, "PodScheduled");
    if (current.isPresent()
        && "False".equals(current.get().getStatus())
        && message.equals(current.get().getMessage())) {
      return;
    }
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    List<PodCondition> conditions =
        Pods.withCondition(
            pod.getStatus() == null ? null : pod.getStatus().getConditions(),
            Pods.newCondition("PodScheduled", false, "Unschedulable", message));
    client
        .pods()
        .inNamespace(ns)
        .withName(name)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            Serialization.asJson(
                Map.of("status", Map.of("phase", "Pending", "conditions", conditions))));
    LOG.info("pod {}/{}: unschedulable: {}", ns, name, message);
    events.warning(pod, "FailedScheduling", message);
  }
}
