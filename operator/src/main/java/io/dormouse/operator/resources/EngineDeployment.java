package io.dormouse.operator.resources;

import io.dormouse.api.v1alpha1.GpuTierSpec;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.operator.presets.EffectiveSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The vLLM engine Deployment of one (endpoint, tier). */
public final class EngineDeployment {

  /** GPUs each replica asks for; read back when counting a tier's use across endpoints. */
  public static final String ANNOTATION_GPUS_PER_REPLICA = "dormouse.io/gpus-per-replica";

  /**
   * Karpenter never disrupts a node for consolidation or drift while a pod with this annotation
   * runs on it: only Dormouse's own scale-down, after draining, ends an engine pod.
   */
  public static final String ANNOTATION_DO_NOT_DISRUPT = "karpenter.sh/do-not-disrupt";

  public static final String CONTAINER = "engine";
  static final String HEALTH_PATH = "/health";

  /** Long enough for a long generation to finish after the pod is told to stop. */
  static final long TERMINATION_GRACE_SECONDS = 300;

  static final int STARTUP_PERIOD_SECONDS = 10;

  /** 60 × 10 s: a model may take 10 minutes to load. */
  static final int STARTUP_FAILURE_THRESHOLD = 60;

  static final long RUN_AS = 1000;

  /**
   * Before SIGTERM: wait for gateways to drop the address, then until no request runs (vLLM's own
   * gauge), within the grace period. vLLM itself stops at once on SIGTERM, cutting streams.
   */
  static final String DRAIN_SCRIPT =
      String.join(
          "\n",
          "import re, time, urllib.request",
          "time.sleep(10)",
          "while True:",
          "    try:",
          "        m = urllib.request.urlopen('http://127.0.0.1:8000/metrics', timeout=5).read().decode()",
          "    except Exception:",
          "        break",
          "    running = re.findall(r'^vllm:num_requests_running(?:\\{[^}]*\\})? ([0-9.eE+-]+)$', m, re.M)",
          "    if sum(float(v) for v in running) == 0:",
          "        break",
          "    time.sleep(2)");

  private EngineDeployment() {}

  public static Deployment build(
      InferenceEndpoint endpoint,
      EffectiveSpec spec,
      String tier,
      GpuTierSpec gpuTier,
      int replicas) {
    Map<String, String> labels = Ownership.engineLabels(endpoint, tier);
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(Wiring.engineName(endpoint.getMetadata().getName(), tier))
        .withNamespace(endpoint.getMetadata().getNamespace())
        .withLabels(labels)
        .addToAnnotations(ANNOTATION_GPUS_PER_REPLICA, Integer.toString(spec.gpusPerReplica()))
        .withOwnerReferences(Ownership.ownerReference(endpoint))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(Ownership.engineSelector(endpoint, tier))
        .endSelector()
        // Never surge: a surge replica would take GPUs that the tier's cap does not count.
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(new IntOrString(0))
        .withMaxUnavailable(new IntOrString(1))
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .addToAnnotations(ANNOTATION_DO_NOT_DISRUPT, "true")
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
        .withNodeSelector(TierPlacement.nodeSelector(tier, gpuTier))
        .withTolerations(TierPlacement.tolerations(gpuTier))
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS)
        .withRunAsGroup(RUN_AS)
        .withFsGroup(RUN_AS)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(endpoint, spec, gpuTier))
        .withVolumes(volumes(spec))
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * vLLM answers to the served name and to the qualified {@code <namespace>/<servedName>}: the
   * gateway forwards the client's body unchanged, whichever of the two the client sent.
   */
  static List<String> args(String namespace, EffectiveSpec spec) {
    List<String> args = new ArrayList<>();
    args.add("--model");
    args.add(spec.model());
    args.add("--served-model-name");
    args.add(spec.servedName());
    args.add(namespace + "/" + spec.servedName());
    args.add("--tensor-parallel-size");
    args.add(Integer.toString(spec.gpusPerReplica()));
    args.add("--port");
    args.add(Integer.toString(Wiring.ENGINE_PORT));
    args.addAll(spec.params());
    return args;
  }

  private static Container container(
      InferenceEndpoint endpoint, EffectiveSpec spec, GpuTierSpec gpuTier) {
    Quantity gpus = new Quantity(Integer.toString(spec.gpusPerReplica()));
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(spec.image())
        .withArgs(args(endpoint.getMetadata().getNamespace(), spec))
        .addNewPort()
        .withName(Wiring.ENGINE_PORT_NAME)
        .withContainerPort(Wiring.ENGINE_PORT)
        .withProtocol("TCP")
        .endPort()
        .withEnv(env(spec))
        .withNewResources()
        .addToRequests(gpuTier.getGpuResource(), gpus)
        .addToLimits(gpuTier.getGpuResource(), gpus)
        .endResources()
        .withReadinessProbe(probe(5, 3))
        .withStartupProbe(probe(STARTUP_PERIOD_SECONDS, STARTUP_FAILURE_THRESHOLD))
        .withLivenessProbe(probe(10, 6))
        // An engine that dies leaves its last log lines (CUDA out of memory, why its engine core
        // failed) as the termination message, which the operator reads into the tier's reason.
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withNewLifecycle()
        .withNewPreStop()
        .withNewExec()
        .withCommand("python3", "-c", DRAIN_SCRIPT)
        .endExec()
        .endPreStop()
        .endLifecycle()
        .withVolumeMounts(mounts(spec))
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .build();
  }

  private static Probe probe(int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(HEALTH_PATH)
        .withPort(new IntOrString(Wiring.ENGINE_PORT_NAME))
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(5)
        .withFailureThreshold(failureThreshold)
        .withSuccessThreshold(1)
        .build();
  }

  private static List<EnvVar> env(EffectiveSpec spec) {
    List<EnvVar> env = new ArrayList<>();
    // The image's user has no writable home; caches go to the tmp volume or the model cache.
    env.add(new EnvVarBuilder().withName("HOME").withValue("/tmp").build());
    String hfHome =
        spec.modelCache() == null ? "/tmp/huggingface" : spec.modelCache().getMountPath();
    env.add(new EnvVarBuilder().withName("HF_HOME").withValue(hfHome).build());
    env.addAll(spec.env());
    return env;
  }

  private static List<VolumeMount> mounts(EffectiveSpec spec) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName("dshm").withMountPath("/dev/shm").build());
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    if (spec.modelCache() != null) {
      mounts.add(
          new VolumeMountBuilder()
              .withName("model-cache")
              .withMountPath(spec.modelCache().getMountPath())
              .build());
    }
    return mounts;
  }

  private static List<Volume> volumes(EffectiveSpec spec) {
    List<Volume> volumes = new ArrayList<>();
    // vLLM's tensor-parallel workers share memory through /dev/shm; the default 64Mi is too small.
    volumes.add(
        new VolumeBuilder()
            .withName("dshm")
            .withNewEmptyDir()
            .withMedium("Memory")
            .endEmptyDir()
            .build());
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    if (spec.modelCache() != null) {
      volumes.add(
          new VolumeBuilder()
              .withName("model-cache")
              .withNewPersistentVolumeClaim()
              .withClaimName(spec.modelCache().getClaimName())
              .endPersistentVolumeClaim()
              .build());
    }
    return volumes;
  }
}
