package io.dormouse.operator.reconcile;

import io.dormouse.operator.lifecycle.EngineExit;
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
    Instant notReadySince = null;
    StartProblem stuck = null;
    for (Pod pod : pods) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (!ready(pod)) {
        Instant created = created(pod, now);
        if (notReadySince == null || created.isBefore(notReadySince)) {
          notReadySince = created;
          stuck = stuck(pod);
        }
      }
      if (pod.getStatus() == null) {
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
        tier,
        asked,
        ready,
        pods.size(),
        unschedulableSince,
        problem,
        current,
        notReadySince,
        stuck);
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The earliest the pod is known to exist: made, or started by its kubelet. */
  private static Instant created(Pod pod, Instant now) {
    String created = pod.getMetadata().getCreationTimestamp();
    Instant since = created == null ? now : Instant.parse(created);
    String started = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
    if (started != null && Instant.parse(started).isBefore(since)) {
      since = Instant.parse(started);
    }
    return since;
  }

  /**
   * What a pod that is not ready waits on, in the words the kubelet uses: an init container that
   * failed, a container waiting (ContainerCreating, CreateContainerConfigError, PodInitializing...)
   * with its message, or a running engine not ready yet.
   */
  static StartProblem stuck(Pod pod) {
    String name = pod.getMetadata().getName();
    if (pod.getStatus() == null) {
      return new StartProblem("Pending", "pod " + name + " pending");
    }
    List<ContainerStatus> inits =
        pod.getStatus().getInitContainerStatuses() == null
            ? List.of()
            : pod.getStatus().getInitContainerStatuses();
    for (ContainerStatus s : inits) {
      var terminated =
          s.getState() != null && s.getState().getTerminated() != null
              ? s.getState().getTerminated()
              : s.getLastState() != null ? s.getLastState().getTerminated() : null;
      if (terminated != null
          && terminated.getExitCode() != null
          && terminated.getExitCode() != 0
          && !Boolean.TRUE.equals(s.getReady())) {
        return new StartProblem(
            "InitContainerFailed",
            "pod "
                + name
                + " init container "
                + s.getName()
                + " exited "
                + terminated.getExitCode()
                + (terminated.getMessage() == null
                    ? ""
                    : " (" + EngineExit.cause(terminated.getMessage()) + ")"));
      }
    }
    List<ContainerStatus> statuses = new ArrayList<>(inits);
    if (pod.getStatus().getContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getContainerStatuses());
    }
    for (ContainerStatus s : statuses) {
      if (s.getState() != null && s.getState().getWaiting() != null) {
        String reason = s.getState().getWaiting().getReason();
        String message = s.getState().getWaiting().getMessage();
        return new StartProblem(
            reason == null || reason.isEmpty() ? "Waiting" : reason,
            "pod "
                + name
                + " container "
                + s.getName()
                + " waiting: "
                + reason
                + (message == null || message.isEmpty() ? "" : " (" + message + ")"));
      }
    }
    for (ContainerStatus s : statuses) {
      if (s.getState() != null && s.getState().getRunning() != null) {
        return new StartProblem(
            "NotReady",
            "pod "
                + name
                + " container "
                + s.getName()
                + " running, not ready (model still loading, or /health failing)");
      }
    }
    return new StartProblem(
        "Pending",
        "pod "
            + name
            + " "
            + (pod.getStatus().getPhase() == null ? "pending" : pod.getStatus().getPhase()));
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
        return crashLoop(s, text);
      }
      if (IMAGE_PULL_FAILURES.contains(reason)) {
        return StartProblem.imagePullFailing(text);
      }
    }
    return null;
  }

  /**
   * A crash loop, named by what the engine said last (FallbackToLogsOnError makes its last log
   * lines the termination message): OutOfMemory, EngineFatal, or plain CrashLoopBackOff.
   */
  private static StartProblem crashLoop(ContainerStatus s, String text) {
    var last = s.getLastState() == null ? null : s.getLastState().getTerminated();
    if (last == null) {
      return StartProblem.crashLooping(text);
    }
    String kind = EngineExit.classify(last.getReason(), last.getMessage());
    if (kind == null) {
      return StartProblem.crashLooping(text);
    }
    String cause = EngineExit.cause(last.getMessage());
    return new StartProblem(kind, text + (cause == null ? ": " + last.getReason() : ": " + cause));
  }

  private static int valueOr(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
