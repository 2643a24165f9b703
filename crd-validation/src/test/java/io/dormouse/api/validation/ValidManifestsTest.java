package io.dormouse.api.validation;

import static io.dormouse.api.validation.Manifests.endpoint;
import static io.dormouse.api.validation.Manifests.gpuTier;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Manifests the CRDs must accept, including the edges of each rule, and the result's shape. */
class ValidManifestsTest {

  private final CrdValidator validator = CrdValidator.forDormouse();

  static Stream<Arguments> validManifests() {
    return Stream.of(
        Arguments.of(
            "minimal",
            endpoint(
                """
                model: {name: meta-llama/Meta-Llama-3-8B-Instruct}
                tiers: [spot-a100]
                access: {projects: [search]}
                """)),
        Arguments.of(
            "a preset instead of a model name, public access",
            endpoint(
                """
                model: {preset: llama-3.1-8b-instruct}
                tiers: [on-demand-a100]
                access: {public: true}
                """)),
        Arguments.of(
            "every field set, durations in every unit",
            endpoint(
                """
                model:
                  name: /models/llama-3-8b
                  servedName: org/llama-3:8b.v1_final
                  preset: llama-3.1-8b-instruct
                engine:
                  image: registry.internal/vllm-openai:v0.11.0
                  params: [--max-model-len=8192]
                  gpusPerReplica: 16
                  env: [{name: VLLM_LOGGING_LEVEL, value: DEBUG}]
                  modelCache: {claimName: weights, mountPath: /cache}
                replicas: 64
                tiers: [t1, t2, t3, t4, t5, t6, t7, t8]
                scaling:
                  idleTimeout: 1h30m
                  wakeTimeout: 90s
                  tierStartTimeout: 1.5h
                  tierRetryInterval: 250ms
                  alwaysOn: true
                limits:
                  maxConcurrentRequestsPerReplica: 1
                  maxWaitingRequests: 1
                  requestsPerSecond: 0.5
                  tokensPerSecond: 1
                access: {public: true, projects: [search, a1]}
                maintenance: true
                """)),
        Arguments.of(
            "the autoscaling form",
            endpoint(
                """
                model: {name: meta-llama/Meta-Llama-3-8B-Instruct}
                tiers: [spot-a100, on-demand-a100]
                scaling:
                  minReplicas: 0
                  maxReplicas: 4
                  targetInFlightPerReplica: 8
                  scaleDownDelay: 2m
                access: {public: true}
                """)),
        Arguments.of(
            "minReplicas alone, equal to maxReplicas",
            endpoint(
                """
                model: {name: meta-llama/Meta-Llama-3-8B-Instruct}
                tiers: [spot-a100]
                scaling: {minReplicas: 2, maxReplicas: 2}
                access: {public: true}
                """)),
        Arguments.of(
            "a status as the operator writes it",
            endpoint(
                    """
                    model: {name: meta-llama/Meta-Llama-3-8B-Instruct}
                    tiers: [spot-a100]
                    access: {public: true}
                    """)
                + """

                status:
                  observedGeneration: 3
                  phase: Ready
                  activeTier: spot-a100
                  readyReplicas: 1
                  tiers: [{name: spot-a100, state: Ready, replicas: 1, readyReplicas: 1}]
                  conditions:
                  - {type: Ready, status: "True", reason: Serving, message: ok,
                     observedGeneration: 3, lastTransitionTime: "2026-01-01T00:00:00Z"}
                  history: [{time: "2026-01-01T00:00:00Z", from: Waking, to: Ready}]
                """),
        Arguments.of(
            "whole numbers written as decimals, int-or-string quantities",
            endpoint(
                """
                model: {name: m}
                tiers: [a]
                access: {public: true}
                replicas: 2.0
                engine:
                  env:
                  - name: MEM_MB
                    valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}
                  - name: CPU
                    valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1}}
                """)),
        Arguments.of("a GpuTier with only its capacity type", gpuTier("capacityType: reserved")),
        Arguments.of(
            "a GpuTier with every field",
            gpuTier(
                """
                gpuResource: amd.com/gpu
                gpuProduct: MI300X
                capacityType: on-demand
                nodeSelector: {pool: mi300x}
                tolerations: [{key: amd.com/gpu, operator: Exists, effect: NoSchedule}]
                pricePerGpuHour: "0"
                maxGpus: 0
                """)),
        Arguments.of(
            "a price with cents", gpuTier("capacityType: spot\npricePerGpuHour: \"2.50\"")),
        Arguments.of(
            "a Karpenter tier with the fewest fields",
            gpuTier(
                """
                capacityType: spot
                nodePool:
                  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
                  instanceTypes: [p4d.24xlarge]
                """)),
        Arguments.of(
            "a Karpenter tier with every field",
            gpuTier(
                """
                capacityType: reserved
                gpuProduct: a100
                maxGpus: 16
                nodeSelector: {}
                tolerations: [{key: example.com/team, operator: Exists}]
                nodePool:
                  nodeClassRef: {group: karpenter.azure.com, kind: AKSNodeClass, name: gpu}
                  instanceTypes: [Standard_NC24ads_A100_v4]
                  gpuProductLabel: karpenter.k8s.aws/instance-gpu-name
                  requirements:
                    - {key: karpenter.k8s.aws/instance-gpu-memory, operator: Gte, values: ["40960"]}
                    - {key: topology.kubernetes.io/zone, operator: In, values: [a, b], minValues: 2}
                    - {key: karpenter.k8s.aws/instance-family, operator: NotIn, values: [g4dn]}
                    - {key: example.com/spare, operator: DoesNotExist}
                  nodeIdleTimeout: 1h30m
                  disruptionBudgets:
                    - {nodes: "10%"}
                    - {nodes: "0", reasons: [Drifted, Empty], schedule: "0 9 * * mon-fri", duration: 8h}
                  taints:
                    - {key: nvidia.com/gpu, effect: NoSchedule}
                    - {key: example.com/tier, value: gpu, effect: NoExecute}
                """)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validManifests")
  void accepted(String name, String yaml) {
    ValidationResult result = validator.validate(Manifests.parse(yaml));

    assertThat(result.errors()).isEmpty();
    assertThat(result.valid()).isTrue();
    assertThat(result.apiServerMessage()).isEmpty();
  }

  @Test
  void kindsItDoesNotGovernAreNotItsBusiness() {
    Map<String, Object> configMap =
        Manifests.parse(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: Not_A_Valid_Name}
            data: {anything: goes}
            """);

    assertThat(validator.validate(configMap).valid()).isTrue();
    assertThat(validator.knows("v1", "ConfigMap")).isFalse();
    assertThat(validator.knows("dormouse.io/v1alpha1", "InferenceEndpoint")).isTrue();
    assertThat(validator.knows("dormouse.io/v1alpha1", "GpuTier")).isTrue();
  }

  @Test
  void nullsAreDroppedAsTheApiServerDoesNotKeepThem() {
    Map<String, Object> ie =
        Manifests.parse(
            endpoint(
                """
                model: {name: meta-llama/Meta-Llama-3-8B-Instruct, servedName: null, preset: null}
                engine: {gpusPerReplica: null, modelCache: null}
                tiers: [spot-a100]
                access: {public: true}
                """));
    ie.put("status", null);

    assertThat(validator.validate(ie).errors()).isEmpty();
  }

  @Test
  void oneErrorIsPrintedBareAndSeveralInBrackets() {
    String oneError = endpoint("model: {name: m}\ntiers: [a]\naccess: {public: true}\nreplicas: 0");
    String twoErrors =
        endpoint("model: {name: m}\ntiers: [a, a]\naccess: {public: true}\nreplicas: 0");

    assertThat(validator.validate(Manifests.parse(oneError)).apiServerMessage())
        .isEqualTo(
            "InferenceEndpoint.dormouse.io \"chat\" is invalid: spec.replicas: Invalid value: 0:"
                + " spec.replicas in body should be greater than or equal to 1");
    assertThat(validator.validate(Manifests.parse(twoErrors)).apiServerMessage())
        .isEqualTo(
            "InferenceEndpoint.dormouse.io \"chat\" is invalid: [spec.replicas: Invalid value: 0:"
                + " spec.replicas in body should be greater than or equal to 1, spec.tiers:"
                + " Invalid value: \"array\": must not name a tier twice]");
  }

  @Test
  void errorsCarryTheirPathAndReason() {
    ValidationResult result =
        validator.validate(
            Manifests.parse(gpuTier("capacityType: preemptible\npricePerGpuHour: \"1,5\"")));

    assertThat(result.errors())
        .extracting(FieldError::path, FieldError::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "spec.capacityType", FieldError.Reason.NOT_SUPPORTED),
            org.assertj.core.groups.Tuple.tuple("spec.pricePerGpuHour", FieldError.Reason.INVALID));
  }

  @Test
  void validationLeavesTheCallersObjectAlone() {
    Map<String, Object> ie =
        Manifests.parse(endpoint("model: {name: m}\ntiers: [a]\naccess: {public: true}"));
    Map<String, Object> before = deepCopy(ie);

    validator.validate(ie);
    validator.withDefaults(ie);

    assertThat(ie).isEqualTo(before);
  }

  @Test
  void theDormouseValidatorIsBuiltOnce() {
    assertThat(CrdValidator.forDormouse()).isSameAs(validator);
  }

  @Test
  void anyCrdCanBeGivenAsADocument() {
    CrdValidator custom =
        CrdValidator.of(
            List.of(
                Manifests.parse(
                    """
                    apiVersion: apiextensions.k8s.io/v1
                    kind: CustomResourceDefinition
                    metadata: {name: widgets.example.com}
                    spec:
                      group: example.com
                      names: {kind: Widget, plural: widgets}
                      scope: Namespaced
                      versions:
                      - name: v1
                        served: true
                        storage: true
                        schema:
                          openAPIV3Schema:
                            type: object
                            properties:
                              spec:
                                type: object
                                x-kubernetes-validations:
                                - rule: "self.min <= self.max"
                                properties:
                                  min: {type: integer}
                                  max: {type: integer}
                                  extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                    """)));
    Map<String, Object> widget =
        Manifests.parse(
            """
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w}
            spec: {min: 3, max: 2, extra: {anything: [1, 2]}}
            """);

    assertThat(custom.validate(widget).errors())
        .map(FieldError::toString)
        .containsExactly("spec: Invalid value: \"object\": failed rule: self.min <= self.max");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach(
        (k, v) ->
            out.put(
                k,
                v instanceof Map<?, ?> m
                    ? deepCopy((Map<String, Object>) m)
                    : v instanceof List<?> l ? List.copyOf(l) : v));
    return new HashMap<>(out);
  }
}
