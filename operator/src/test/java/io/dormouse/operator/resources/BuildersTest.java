package io.dormouse.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.CapacityType;
import io.dormouse.api.v1alpha1.GpuTierSpec;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.ModelCacheSpec;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.operator.presets.EffectiveSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildersTest {

  private static InferenceEndpoint endpoint() {
    InferenceEndpoint ep = new InferenceEndpoint();
    ep.setMetadata(new ObjectMeta());
    ep.getMetadata().setName("llama");
    ep.getMetadata().setNamespace("team");
    ep.getMetadata().setUid("uid-1");
    return ep;
  }

  private static GpuTierSpec tier() {
    GpuTierSpec spec = new GpuTierSpec();
    spec.setCapacityType(CapacityType.SPOT);
    spec.setGpuResource("nvidia.com/gpu");
    spec.setNodeSelector(Map.of("pool", "a100-spot"));
    Toleration t = new Toleration();
    t.setKey("nvidia.com/gpu");
    t.setOperator("Exists");
    t.setEffect("NoSchedule");
    spec.setTolerations(List.of(t));
    return spec;
  }

  private static EffectiveSpec spec(ModelCacheSpec cache) {
    return new EffectiveSpec(
        "meta-llama/Meta-Llama-3-70B-Instruct",
        "llama-70b",
        "vllm/vllm-openai:v0.11.0",
        List.of("--max-model-len=8192"),
        4,
        List.of(),
        cache,
        2);
  }

  @Test
  void engineDeploymentRunsVllmOnTheTierWithRestrictedSecurity() {
    ModelCacheSpec cache = new ModelCacheSpec();
    cache.setClaimName("weights");
    cache.setMountPath("/models");
    Deployment d = EngineDeployment.build(endpoint(), spec(cache), "a100-spot", tier(), 2);

    assertThat(d.getMetadata().getName()).isEqualTo(Wiring.engineName("llama", "a100-spot"));
    assertThat(d.getMetadata().getLabels())
        .containsEntry(Wiring.LABEL_ENDPOINT, "llama")
        .containsEntry(Wiring.LABEL_TIER, "a100-spot")
        .containsEntry(Wiring.LABEL_ROLE, Wiring.ROLE_ENGINE);
    assertThat(d.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("InferenceEndpoint");
              assertThat(o.getUid()).isEqualTo("uid-1");
              assertThat(o.getController()).isTrue();
            });
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();

    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
    assertThat(pod.getNodeSelector()).containsEntry("pool", "a100-spot");
    assertThat(pod.getTolerations())
        .extracting(Toleration::getKey)
        .containsExactly("nvidia.com/gpu");
    assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(300L);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    Container c = pod.getContainers().get(0);
    assertThat(c.getArgs())
        .containsSubsequence("--model", "meta-llama/Meta-Llama-3-70B-Instruct")
        .containsSubsequence("--served-model-name", "llama-70b", "team/llama-70b")
        .containsSubsequence("--tensor-parallel-size", "4")
        .containsSubsequence("--port", "8000")
        .endsWith("--max-model-len=8192");
    assertThat(c.getResources().getRequests()).containsEntry("nvidia.com/gpu", new Quantity("4"));
    assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("4"));
    assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(8000);
    assertThat(c.getPorts().get(0).getName()).isEqualTo("http");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(c.getReadinessProbe().getFailureThreshold()).isEqualTo(3);
    assertThat(c.getReadinessProbe().getSuccessThreshold()).isEqualTo(1);
    assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold())
        .as("seconds a model may take to load")
        .isGreaterThanOrEqualTo(600);
    assertThat(c.getLifecycle().getPreStop().getExec().getCommand()).contains("python3");
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    assertThat(pod.getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("dshm");
              assertThat(v.getEmptyDir().getMedium()).isEqualTo("Memory");
            })
        .filteredOn(v -> v.getPersistentVolumeClaim() != null)
        .extracting(v -> v.getPersistentVolumeClaim().getClaimName())
        .containsExactly("weights");
    assertThat(c.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/dev/shm"))
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/models"));
  }

  @Test
  void noModelCacheMeansNoClaim() {
    Deployment d = EngineDeployment.build(endpoint(), spec(null), "a", tier(), 0);
    assertThat(d.getSpec().getReplicas()).isZero();
    assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
        .noneSatisfy(v -> assertThat(v.getPersistentVolumeClaim()).isNotNull());
  }

  @Test
  void serviceSelectsTheTiersEnginePodsOnTheHttpPort() {
    Service s = EngineService.build(endpoint(), "a");
    assertThat(s.getMetadata().getName()).isEqualTo(Wiring.engineName("llama", "a"));
    assertThat(s.getMetadata().getLabels())
        .containsEntry(Wiring.LABEL_ENDPOINT, "llama")
        .containsEntry(Wiring.LABEL_TIER, "a");
    assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(s.getSpec().getSelector())
        .containsEntry(Wiring.LABEL_ENDPOINT, "llama")
        .containsEntry(Wiring.LABEL_TIER, "a")
        .containsEntry(Wiring.LABEL_ROLE, Wiring.ROLE_ENGINE);
    assertThat(s.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(8000);
              assertThat(p.getName()).isEqualTo("http");
            });
    assertThat(s.getMetadata().getOwnerReferences()).hasSize(1);
  }

  @Test
  void networkPolicyAdmitsOnlyGatewayPodsOfTheGatewayNamespace() {
    NetworkPolicy np = EngineNetworkPolicy.build(endpoint(), "dormouse-system");
    assertThat(np.getMetadata().getName()).isEqualTo(Wiring.engineNetworkPolicyName("llama"));
    assertThat(np.getSpec().getPodSelector().getMatchLabels())
        .containsEntry(Wiring.LABEL_ENDPOINT, "llama")
        .containsEntry(Wiring.LABEL_ROLE, Wiring.ROLE_ENGINE);
    assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(np.getSpec().getIngress()).hasSize(1);
    NetworkPolicyPeer from = np.getSpec().getIngress().get(0).getFrom().get(0);
    assertThat(from.getNamespaceSelector().getMatchLabels())
        .containsExactly(Map.entry("kubernetes.io/metadata.name", "dormouse-system"));
    assertThat(from.getPodSelector().getMatchLabels())
        .containsExactly(Map.entry(Wiring.LABEL_ROLE, Wiring.ROLE_GATEWAY));
    assertThat(np.getSpec().getIngress().get(0).getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getProtocol()).isEqualTo("TCP");
              assertThat(p.getPort().getIntVal()).isEqualTo(8000);
            });
  }

  @Test
  void activityLeaseIsOwnedAndHasNoRenewTime() {
    Lease lease = ActivityLease.build(endpoint());
    assertThat(lease.getMetadata().getName()).isEqualTo(Wiring.activityLeaseName("llama"));
    assertThat(lease.getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(lease.getSpec().getRenewTime()).isNull();
  }
}
