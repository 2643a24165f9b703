package io.dormouse.sim.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading a pod's state the way controllers do. */
final class Pods {

  /** Held by every pod the sim creates, so deletion waits for the stand-in kubelet's shutdown. */
  static final String KUBELET_FINALIZER = "sim.dormouse.io/kubelet";

  private static final List<String> PLAIN_RESOURCES = List.of("cpu", "memory", "ephemeral-storage");

  private Pods() {}

  static boolean terminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  static boolean scheduled(Pod pod) {
    return pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
  }

  static Optional<PodCondition> condition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  static boolean ready(Pod pod) {
    return condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  static String ip(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPodIP();
  }

  /** Done for good: its GPUs are free again. */
  static boolean finished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** Extended resources (GPUs) the pod asks for: limits, else requests, summed over containers. */
  static Map<String, Long> extendedRequests(Pod pod) {
    Map<String, Long> total = new HashMap<>();
    pod.getSpec()
        .getContainers()
        .forEach(
            c -> {
              if (c.getResources() == null) {
                return;
              }
              Map<String, Quantity> asked = new HashMap<>();
              if (c.getResources().getRequests() != null) {
                asked.putAll(c.getResources().getRequests());
              }
              if (c.getResources().getLimits() != null) {
                asked.putAll(c.getResources().getLimits());
              }
              asked.forEach(
                  (name, q) -> {
                    if (!PLAIN_RESOURCES.contains(name)) {
                      total.merge(name, q.getNumericalAmount().longValue(), Long::sum);
                    }
                  });
            });
    return total;
  }

  static PodCondition newCondition(String type, boolean status, String reason, String message) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(now())
        .build();
  }

  /**
   * Replaces the condition of the same type, keeping its transition time when its status did not
   * change.
   */
  static List<PodCondition> withCondition(List<PodCondition> conditions, PodCondition next) {
    java.util.ArrayList<PodCondition> out = new java.util.ArrayList<>();
    boolean replaced = false;
    for (PodCondition c : conditions == null ? List.<PodCondition>of() : conditions) {
      if (c.getType().equals(next.getType())) {
        if (c.getStatus().equals(next.getStatus())) {
          next.setLastTransitionTime(c.getLastTransitionTime());
        }
        out.add(next);
        replaced = true;
      } else {
        out.add(c);
      }
    }
    if (!replaced) {
      out.add(next);
    }
    return out;
  }

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
