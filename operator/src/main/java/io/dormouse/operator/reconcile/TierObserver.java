package io.dormouse.operator.reconcile;

import io.dormouse.operator.lifecycle.StartProblem;
import io.dormouse.operator.lifecycle.TierObservation;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Summarises one tier's engine Deployment and pods into what the lifecycle decides on. */
final class TierObserver {

  static final Set<String> IMAGE_PULL_FAILURES =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");

  private TierObserver() {}

  static TierObservation summarise(
      String tier, Deployment deployment, Collection<Pod> pods, Instant now) {
    int asked = 0;
    int ready = 0;
    boolean current = true;
    if (deployment != null) {
      asked = valueOr(deployment.getSpec().getReplicas(), 0);
      if (deployment.getStatus() != null) {
        ready = valueOr(deployment.getStatus().getReadyReplicas(), 0);
        Long observed = deployment.getStatus().getObservedGeneration();
        Long generation =
            deployment.getMetadata() == null ? null : deployment.getMetadata().getGeneration();
        current = observed == null || generation == null || observed >= generation;
      }
    }
    Instant unschedulableSince = null;
    StartProblem problem = null;
    for (Pod pod : pods) {
      if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
        continue;
      }
      Instant since = unschedulableSince(pod, now);
      if (since != null && (unschedulableSince == null || since.isBefore(unschedulableSince))) {
        unschedulableSince = since;
      }
      if (problem == null) {
        problem = startProblem(pod);
      }
    }
    return new TierObservation(
        tier, asked, ready, pods.size(), unschedulableSince, problem, current);
  }

  private static Instant unschedulableSince(Pod pod, Instant now) {
    List<PodCondition> conditions = pod.getStatus().getConditions();
    if (conditions == null) {
      return null;
    }
    for (PodCondition c : conditions) {
      if ("PodScheduled".equals(c.getType())
          && "False".equals(c.getStatus())
          && "Unschedulable".equals(c.getReason())) {
        if (c.getLastTransitionTime() != null) {
          return Instant.parse(c.getLastTransitionTime());
        }
        String created = pod.getMetadata().getCreationTimestamp();
        return created == null ? now : Instant.parse(created);
      }
    }
    return null;
  }

  private static StartProblem startProblem(Pod pod) {
    List<ContainerStatus> statuses = new ArrayList<>();
    if (pod.getStatus().getInitContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getInitContainerStatuses());
    }
    if (pod.getStatus().getContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getContainerStatuses());
    }
    for (ContainerStatus s : statuses) {
      if (s.getState() == null || s.getState().getWaiting() == null) {
        continue;
      }
      String reason = s.getState().getWaiting().getReason();
      String text =
          "pod "
              + pod.getMetadata().getName()
              + " container "
              + s.getName()
              + ": "
              + reason
              + (s.getState().getWaiting().getMessage() == null
                  ? ""
                  : " (" + s.getState().getWaiting().getMessage() + ")");
      if ("CrashLoopBackOff".equals(reason)) {
        return StartProblem.crashLooping(text);
      }
      if (IMAGE_PULL_FAILURES.contains(reason)) {
        return StartProblem.imagePullFailing(text);
      }
    }
    return null;
  }

  private static int valueOr(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
