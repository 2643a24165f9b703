package io.dormouse.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.operator.lifecycle.TierObservation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How pods read to the lifecycle: one row per pod state the kubelet or scheduler reports. */
class TierObserverTest {

  private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");

  static Stream<Arguments> pods() {
    return Stream.of(
        Arguments.of("running", pod(null, null, false), null, null),
        Arguments.of(
            "unschedulable",
            pod("2026-01-01T00:55:00Z", null, false),
            Instant.parse("2026-01-01T00:55:00Z"),
            null),
        Arguments.of("crash loop", pod(null, "CrashLoopBackOff", false), null, "CrashLoopBackOff"),
        Arguments.of(
            "image pull back-off", pod(null, "ImagePullBackOff", false), null, "ImagePullBackOff"),
        Arguments.of(
            "image pull error", pod(null, "ErrImagePull", false), null, "ImagePullBackOff"),
        Arguments.of("still creating", pod(null, "ContainerCreating", false), null, null),
        Arguments.of(
            "terminating pods do not count",
            pod("2026-01-01T00:00:00Z", "CrashLoopBackOff", true),
            null,
            null));
  }

  @org.junit.jupiter.api.Test
  void aDeploymentStatusOlderThanItsSpecIsNotCurrent() {
    Deployment scaled =
        new DeploymentBuilder()
            .withNewMetadata()
            .withGeneration(3L)
            .endMetadata()
            .withNewSpec()
            .withReplicas(1)
            .endSpec()
            .withNewStatus()
            .withObservedGeneration(2L)
            .withReadyReplicas(1)
            .endStatus()
            .build();
    assertThat(TierObserver.summarise("a", scaled, List.of(), NOW).statusCurrent()).isFalse();

    scaled.getStatus().setObservedGeneration(3L);
    assertThat(TierObserver.summarise("a", scaled, List.of(), NOW).statusCurrent()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pods")
  void summarises(String name, Pod pod, Instant unschedulableSince, String problem) {
    Deployment d =
        new DeploymentBuilder()
            .withNewSpec()
            .withReplicas(1)
            .endSpec()
            .withNewStatus()
            .withReadyReplicas(0)
            .endStatus()
            .build();

    TierObservation seen = TierObserver.summarise("a", d, List.of(pod), NOW);

    assertThat(seen.askedReplicas()).isEqualTo(1);
    assertThat(seen.pods()).isEqualTo(1);
    assertThat(seen.unschedulableSince()).isEqualTo(unschedulableSince);
    assertThat(seen.problem() == null ? null : seen.problem().reason()).isEqualTo(problem);
  }

  static Stream<Arguments> stuckPods() {
    return Stream.of(
        Arguments.of(
            "a volume that cannot attach",
            waitingPod(
                "ContainerCreating",
                "Multi-Attach error for volume \"cache\": already exclusively attached"),
            "ContainerCreating",
            "Multi-Attach error"),
        Arguments.of(
            "a Secret key that does not exist",
            waitingPod("CreateContainerConfigError", "couldn't find key HF_TOKEN in Secret hf"),
            "CreateContainerConfigError",
            "HF_TOKEN"),
        Arguments.of(
            "an init container that failed",
            new PodBuilder(waitingPod("PodInitializing", null))
                .editStatus()
                .addNewInitContainerStatus()
                .withName("fetch-model")
                .withReady(false)
                .withNewState()
                .withNewTerminated()
                .withExitCode(2)
                .withMessage("403 Forbidden")
                .endTerminated()
                .endState()
                .endInitContainerStatus()
                .endStatus()
                .build(),
            "InitContainerFailed",
            "fetch-model exited 2 (403 Forbidden)"),
        Arguments.of(
            "a running engine still loading",
            new PodBuilder(pod(null, null, false))
                .editMetadata()
                .withCreationTimestamp("2026-01-01T00:50:00Z")
                .endMetadata()
                .editStatus()
                .addNewContainerStatus()
                .withName("engine")
                .withNewState()
                .withNewRunning()
                .endRunning()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build(),
            "NotReady",
            "running, not ready"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stuckPods")
  void aPodThatIsNotReadySaysWhatItWaitsOnAndSinceWhen(
      String name, Pod pod, String reason, String message) {
    TierObservation seen = TierObserver.summarise("a", null, List.of(pod), NOW);

    assertThat(seen.problem()).as("not a failure at once").isNull();
    assertThat(seen.notReadySince()).isEqualTo(Instant.parse("2026-01-01T00:50:00Z"));
    assertThat(seen.stuck().reason()).isEqualTo(reason);
    assertThat(seen.stuck().message()).contains("llama-a-1").contains(message);
  }

  static Stream<Arguments> crashLoops() {
    return Stream.of(
        Arguments.of(
            "CUDA out of memory in the last log lines",
            "Error",
            "ERROR EngineCore failed to start.\nERROR torch.OutOfMemoryError: CUDA out of memory.",
            "OutOfMemory"),
        Arguments.of("OOMKilled", "OOMKilled", null, "OutOfMemory"),
        Arguments.of(
            "the engine core died",
            "Error",
            "ERROR Engine process died unexpectedly",
            "EngineFatal"),
        Arguments.of("nothing said", "Error", "INFO bye", "CrashLoopBackOff"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crashLoops")
  void aCrashLoopIsNamedByTheEnginesLastWords(
      String name, String reason, String message, String problem) {
    Pod pod =
        new PodBuilder(pod(null, null, false))
            .editStatus()
            .addNewContainerStatus()
            .withName("engine")
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .endWaiting()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(1)
            .withReason(reason)
            .withMessage(message)
            .endTerminated()
            .endLastState()
            .endContainerStatus()
            .endStatus()
            .build();

    TierObservation seen = TierObserver.summarise("a", null, List.of(pod), NOW);

    assertThat(seen.problem().reason()).isEqualTo(problem);
    if (message != null && !"CrashLoopBackOff".equals(problem)) {
      assertThat(seen.problem().message())
          .contains(message.substring(message.lastIndexOf('\n') + 1));
    }
  }

  private static Pod waitingPod(String reason, String message) {
    return new PodBuilder(pod(null, null, false))
        .editMetadata()
        .withCreationTimestamp("2026-01-01T00:50:00Z")
        .endMetadata()
        .editStatus()
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
  }

  private static Pod pod(String unschedulableSince, String waiting, boolean terminating) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName("llama-a-1")
            .withDeletionTimestamp(terminating ? "2026-01-01T00:59:00Z" : null)
            .endMetadata()
            .withNewStatus()
            .endStatus();
    if (unschedulableSince != null) {
      b.editStatus()
          .addNewCondition()
          .withType("PodScheduled")
          .withStatus("False")
          .withReason("Unschedulable")
          .withLastTransitionTime(unschedulableSince)
          .endCondition()
          .endStatus();
    }
    if (waiting != null) {
      b.editStatus()
          .addNewContainerStatus()
          .withName("engine")
          .withNewState()
          .withNewWaiting()
          .withReason(waiting)
          .endWaiting()
          .endState()
          .endContainerStatus()
          .endStatus();
    }
    return b.build();
  }
}
