package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every pod and container meets the restricted Pod Security Standard. */
class PodSecurityTest {

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void everyContainerIsRestricted(ValueSet values) {
    Chart.render(values)
        .podTemplates()
        .forEach(
            (owner, pod) ->
                containers(pod.getSpec())
                    .forEach(c -> assertRestricted(owner + " " + c.getName(), pod.getSpec(), c)));
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void aReadOnlyRootFilesystemStillHasAWritableTmp(ValueSet values) {
    Chart.render(values)
        .podTemplates()
        .forEach(
            (owner, pod) -> {
              var emptyDirs =
                  pod.getSpec().getVolumes().stream()
                      .filter(v -> v.getEmptyDir() != null)
                      .map(v -> v.getName())
                      .toList();
              containers(pod.getSpec())
                  .forEach(
                      c ->
                          assertThat(c.getVolumeMounts())
                              .as(owner + " " + c.getName())
                              .anyMatch(
                                  m ->
                                      m.getMountPath().equals("/tmp")
                                          && emptyDirs.contains(m.getName())));
            });
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void podsCarryTheirRoleLabel(ValueSet values) {
    Map<String, PodTemplateSpec> pods = Chart.render(values).podTemplates();

    assertThat(pods.get("Deployment/dormouse-operator").getMetadata().getLabels())
        .containsEntry("dormouse.io/role", "operator");
    assertThat(pods.get("Deployment/dormouse-gateway").getMetadata().getLabels())
        .containsEntry("dormouse.io/role", "gateway");
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void onlyPodsThatCallTheApiGetAToken(ValueSet values) {
    Manifests manifests = Chart.render(values);

    assertThat(manifests.ofKind("ServiceAccount", ServiceAccount.class))
        .extracting(ServiceAccount::getAutomountServiceAccountToken)
        .containsOnly(false);
    manifests
        .podTemplates()
        .forEach(
            (owner, pod) -> {
              boolean mounts =
                  !Boolean.FALSE.equals(pod.getSpec().getAutomountServiceAccountToken());
              assertThat(mounts)
                  .as("%s mounts a ServiceAccount token", owner)
                  .isEqualTo(
                      List.of("Deployment/dormouse-operator", "Deployment/dormouse-gateway")
                          .contains(owner));
            });
  }

  private static void assertRestricted(String what, PodSpec pod, Container container) {
    SecurityContext c = container.getSecurityContext();
    PodSecurityContext p = pod.getSecurityContext();
    assertThat(c).as("%s has a securityContext", what).isNotNull();
    assertThat(c.getRunAsNonRoot()).as("%s runAsNonRoot", what).isTrue();
    assertThat(c.getRunAsUser()).as("%s runAsUser", what).isNotNull().isNotZero();
    assertThat(c.getReadOnlyRootFilesystem()).as("%s readOnlyRootFilesystem", what).isTrue();
    assertThat(c.getAllowPrivilegeEscalation()).as("%s allowPrivilegeEscalation", what).isFalse();
    assertThat(c.getPrivileged()).as("%s privileged", what).isNotEqualTo(Boolean.TRUE);
    assertThat(c.getCapabilities().getDrop()).as("%s drops", what).containsExactly("ALL");
    assertThat(c.getCapabilities().getAdd()).as("%s adds", what).isEmpty();
    assertThat(c.getSeccompProfile().getType()).as("%s seccomp", what).isEqualTo("RuntimeDefault");
    assertThat(p.getRunAsNonRoot()).as("%s pod runAsNonRoot", what).isTrue();
    assertThat(p.getSeccompProfile().getType())
        .as("%s pod seccomp", what)
        .isEqualTo("RuntimeDefault");
    assertThat(container.getVolumeMounts())
        .as("%s mounts nothing read-write but its scratch space", what)
        .filteredOn(m -> !Boolean.TRUE.equals(m.getReadOnly()))
        .extracting(VolumeMount::getMountPath)
        .containsOnly("/tmp");
  }

  private static Stream<Container> containers(PodSpec pod) {
    return Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream());
  }
}
