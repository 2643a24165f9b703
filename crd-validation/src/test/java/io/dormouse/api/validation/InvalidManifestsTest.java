package io.dormouse.api.validation;

import static io.dormouse.api.validation.Manifests.endpoint;
import static io.dormouse.api.validation.Manifests.endpointNamed;
import static io.dormouse.api.validation.Manifests.gpuTier;
import static io.dormouse.api.validation.Manifests.gpuTierNamed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each manifest breaks one rule of the CRDs and must be refused with exactly the API server's
 * errors, each naming the offending field.
 */
class InvalidManifestsTest {

  private static final String DURATION_PATTERN = "^([0-9]+([.][0-9]+)?(ms|s|m|h))+$";
  private static final String PRICE_PATTERN = "^[0-9]+(\\.[0-9]+)?$";

  /** A valid spec to break one line of; the indented blocks are replaced whole. */
  private static final String VALID_SPEC =
      """
      model:
        name: meta-llama/Meta-Llama-3-8B-Instruct
      tiers: [spot-a100, on-demand-a100]
      access:
        projects: [search]
      """;

  static Stream<Arguments> invalidManifests() {
    List<Arguments> cases = new ArrayList<>();
    cases.add(
        refused(
            "replicas 0",
            endpoint(VALID_SPEC + "replicas: 0"),
            "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or"
                + " equal to 1"));
    cases.add(
        refused(
            "replicas above the cap",
            endpoint(VALID_SPEC + "replicas: 65"),
            "spec.replicas: Invalid value: 65: spec.replicas in body should be less than or equal"
                + " to 64"));
    cases.add(
        refused(
            "replicas of the wrong type",
            endpoint(VALID_SPEC + "replicas: two"),
            "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type"
                + " integer: \"string\"",
            "Invalid value: \"null\": some validation rules were not checked because the object"
                + " was invalid; correct the existing errors to complete validation"));
    cases.add(
        refused(
            "replicas not a whole number",
            endpoint(VALID_SPEC + "replicas: 1.5"),
            "spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type"
                + " integer: \"number\"",
            "Invalid value: \"null\": some validation rules were not checked because the object"
                + " was invalid; correct the existing errors to complete validation"));
    cases.add(
        refused(
            "replicas mixed with the autoscaling form",
            endpoint(VALID_SPEC + "replicas: 2\nscaling: {maxReplicas: 4}"),
            "spec.replicas: Invalid value: \"object\": must not be set with scaling.minReplicas,"
                + " scaling.maxReplicas or scaling.targetInFlightPerReplica: replicas is the"
                + " shorthand for minReplicas = maxReplicas = replicas while awake; use one form"));
    cases.add(
        refused(
            "minReplicas above maxReplicas",
            endpoint(VALID_SPEC + "scaling: {minReplicas: 3, maxReplicas: 2}"),
            "spec.scaling.minReplicas: Invalid value: \"object\": must not exceed maxReplicas"));
    cases.add(
        refused(
            "targetInFlightPerReplica 0",
            endpoint(VALID_SPEC + "scaling: {maxReplicas: 4, targetInFlightPerReplica: 0}"),
            "spec.scaling.targetInFlightPerReplica: Invalid value: 0:"
                + " spec.scaling.targetInFlightPerReplica in body should be greater than or equal"
                + " to 1"));
    cases.add(
        refused(
            "targetInFlightPerReplica negative",
            endpoint(VALID_SPEC + "scaling: {maxReplicas: 4, targetInFlightPerReplica: -5}"),
            "spec.scaling.targetInFlightPerReplica: Invalid value: -5:"
                + " spec.scaling.targetInFlightPerReplica in body should be greater than or equal"
                + " to 1"));
    cases.add(
        refused(
            "maxReplicas 0",
            endpoint(VALID_SPEC + "scaling: {maxReplicas: 0}"),
            "spec.scaling.maxReplicas: Invalid value: 0: spec.scaling.maxReplicas in body should"
                + " be greater than or equal to 1"));
    cases.add(
        refused(
            "minReplicas negative",
            endpoint(VALID_SPEC + "scaling: {minReplicas: -1}"),
            "spec.scaling.minReplicas: Invalid value: -1: spec.scaling.minReplicas in body should"
                + " be greater than or equal to 0"));
    cases.add(
        refused(
            "no tiers",
            endpoint(
                """
                model: {name: meta-llama/Meta-Llama-3-8B-Instruct}
                access: {public: true}
                """),
            "spec.tiers: Required value"));
    cases.add(
        refused(
            "an empty tier list",
            endpoint(
                """
                model: {name: meta-llama/Meta-Llama-3-8B-Instruct}
                tiers: []
                access: {public: true}
                """),
            "spec.tiers: Invalid value: 0: spec.tiers in body should have at least 1 items"));
    cases.add(
        refused(
            "a duplicate tier",
            endpoint(
                """
                model: {name: meta-llama/Meta-Llama-3-8B-Instruct}
                tiers: [spot-a100, on-demand-a100, spot-a100]
                access: {public: true}
                """),
            "spec.tiers: Invalid value: \"array\": must not name a tier twice"));
    cases.add(
        refused(
            "a tier that is not a DNS label",
            endpoint(
                """
                model: {name: meta-llama/Meta-Llama-3-8B-Instruct}
                tiers: [Spot_A100]
                access: {public: true}
                """),
            "spec.tiers: Invalid value: \"array\": each tier must be the name of a GpuTier (a"
                + " lowercase DNS label)"));
    cases.add(
        refused(
            "a tier name longer than a label",
            endpoint(
                """
                model: {name: meta-llama/Meta-Llama-3-8B-Instruct}
                tiers: [%s]
                access: {public: true}
                """
                    .formatted("a".repeat(64))),
            "spec.tiers[0]: Too long: may not be longer than 63"));
    cases.add(
        refused(
            "more than eight tiers",
            endpoint(
                """
                model: {name: meta-llama/Meta-Llama-3-8B-Instruct}
                tiers: [t1, t2, t3, t4, t5, t6, t7, t8, t9]
                access: {public: true}
                """),
            "spec.tiers: Too many: 9: must have at most 8 items"));
    cases.add(
        refused(
            "gpusPerReplica 0",
            endpoint(VALID_SPEC + "engine: {gpusPerReplica: 0}"),
            "spec.engine.gpusPerReplica: Invalid value: 0: spec.engine.gpusPerReplica in body"
                + " should be greater than or equal to 1"));
    cases.add(
        refused(
            "requestsPerSecond 0",
            endpoint(VALID_SPEC + "limits: {requestsPerSecond: 0}"),
            "spec.limits.requestsPerSecond: Invalid value: \"number\": must be greater than 0"));
    cases.add(
        refused(
            "requestsPerSecond negative",
            endpoint(VALID_SPEC + "limits: {requestsPerSecond: -2.5}"),
            "spec.limits.requestsPerSecond: Invalid value: \"number\": must be greater than 0"));
    cases.add(
        refused(
            "tokensPerSecond 0",
            endpoint(VALID_SPEC + "limits: {tokensPerSecond: 0}"),
            "spec.limits.tokensPerSecond: Invalid value: \"number\": must be greater than 0"));
    cases.add(
        refused(
            "maxConcurrentRequestsPerReplica 0",
            endpoint(VALID_SPEC + "limits: {maxConcurrentRequestsPerReplica: 0}"),
            "spec.limits.maxConcurrentRequestsPerReplica: Invalid value: 0:"
                + " spec.limits.maxConcurrentRequestsPerReplica in body should be greater than or"
                + " equal to 1"));
    for (String field :
        List.of("idleTimeout", "wakeTimeout", "tierStartTimeout", "tierRetryInterval")) {
      String path = "spec.scaling." + field;
      for (String unparseable : List.of("15 minutes", "1d")) {
        cases.add(
            refused(
                field + " unparseable: " + unparseable,
                endpoint(VALID_SPEC + "scaling: {" + field + ": " + unparseable + "}"),
                path
                    + ": Invalid value: \""
                    + unparseable
                    + "\": "
                    + path
                    + " in body should match '"
                    + DURATION_PATTERN
                    + "'"));
      }
      cases.add(
          refused(
              field + " zero",
              endpoint(VALID_SPEC + "scaling: {" + field + ": 0s}"),
              path + ": Invalid value: \"string\": must be a positive duration"));
    }
    cases.add(
        refused(
            "servedName not a model name",
            endpoint(
                """
                model: {name: meta-llama/Meta-Llama-3-8B-Instruct, servedName: "bad name!"}
                tiers: [spot-a100]
                access: {public: true}
                """),
            "spec.model.servedName: Invalid value: \"bad name!\": spec.model.servedName in body"
                + " should match '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$'"));
    cases.add(
        refused(
            "model.name empty",
            endpoint(
                """
                model: {name: ""}
                tiers: [spot-a100]
                access: {public: true}
                """),
            "spec.model.name: Invalid value: \"\": spec.model.name in body should be at least 1"
                + " chars long"));
    cases.add(
        refused(
            "model.name with a space",
            endpoint(
                """
                model: {name: "meta-llama/Meta Llama 3"}
                tiers: [spot-a100]
                access: {public: true}
                """),
            "spec.model.name: Invalid value: \"meta-llama/Meta Llama 3\": spec.model.name in body"
                + " should match '^\\S*$'"));
    cases.add(
        refused(
            "model missing",
            endpoint(
                """
                tiers: [spot-a100]
                access: {public: true}
                """),
            "spec.model: Required value"));
    cases.add(
        refused(
            "neither model.name nor model.preset",
            endpoint(
                """
                model: {servedName: chat}
                tiers: [spot-a100]
                access: {public: true}
                """),
            "spec.model: Invalid value: \"object\": model.name is required unless model.preset is"
                + " set"));
    cases.add(
        refused(
            "access with neither public nor projects",
            endpoint(
                """
                model: {name: meta-llama/Meta-Llama-3-8B-Instruct}
                tiers: [spot-a100]
                access: {}
                """),
            "spec.access: Invalid value: \"object\": set access.public to true or list"
                + " access.projects"));
    cases.add(
        refused(
            "access not public and no projects listed",
            endpoint(
                """
                model: {name: meta-llama/Meta-Llama-3-8B-Instruct}
                tiers: [spot-a100]
                access: {public: false, projects: []}
                """),
            "spec.access: Invalid value: \"object\": set access.public to true or list"
                + " access.projects"));
    cases.add(
        refused(
            "a project that is not a DNS label",
            endpoint(
                """
                model: {name: meta-llama/Meta-Llama-3-8B-Instruct}
                tiers: [spot-a100]
                access: {projects: [Search Team]}
                """),
            "spec.access.projects: Invalid value: \"array\": each project must be a lowercase DNS"
                + " label"));
    cases.add(
        refused(
            "an unknown field",
            endpoint(VALID_SPEC + "foo: bar"),
            "spec.foo: unknown field \"spec.foo\""));
    cases.add(
        refused(
            "an unknown nested field (a typo)",
            endpoint(VALID_SPEC + "scaling: {idleTimout: 5m}"),
            "spec.scaling.idleTimout: unknown field \"spec.scaling.idleTimout\""));
    cases.add(
        refused(
            "a model cache without its claim",
            endpoint(VALID_SPEC + "engine: {modelCache: {mountPath: /models}}"),
            "spec.engine.modelCache.claimName: Required value"));
    cases.add(
        refused(
            "an endpoint name that is not a DNS subdomain",
            endpointNamed("Chat_Bot", VALID_SPEC),
            "metadata.name: Invalid value: \"Chat_Bot\": a lowercase RFC 1123 subdomain must"
                + " consist of lower case alphanumeric characters, '-' or '.', and must start and"
                + " end with an alphanumeric character (e.g. 'example.com', regex used for"
                + " validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "metadata.name: Invalid value: \"object\": must be a lowercase DNS label that starts"
                + " with a letter, at most 63 characters (it names the engine Services)"));
    cases.add(
        refused(
            "an endpoint name with a dot, which cannot name a Service",
            endpointNamed("llama3.1-8b", VALID_SPEC),
            "metadata.name: Invalid value: \"object\": must be a lowercase DNS label that starts"
                + " with a letter, at most 63 characters (it names the engine Services)"));
    cases.add(
        refused(
            "an endpoint without a spec",
            "apiVersion: dormouse.io/v1alpha1\nkind: InferenceEndpoint\nmetadata: {name: chat}",
            "spec: Required value"));
    cases.add(
        refused(
            "a GpuTier without a spec",
            "apiVersion: dormouse.io/v1alpha1\nkind: GpuTier\nmetadata: {name: spot-a100}",
            "spec: Required value"));
    cases.add(
        refused(
            "capacityType preemptible",
            gpuTier("capacityType: preemptible"),
            "spec.capacityType: Unsupported value: \"preemptible\": supported values:"
                + " \"on-demand\", \"reserved\", \"spot\""));
    cases.add(
        refused(
            "capacityType missing",
            gpuTier("gpuProduct: NVIDIA-L4"),
            "spec.capacityType: Required value"));
    for (String price : List.of("-1", "1,5", "abc", "1.")) {
      cases.add(
          refused(
              "price " + price,
              gpuTier("capacityType: spot\npricePerGpuHour: \"" + price + "\""),
              "spec.pricePerGpuHour: Invalid value: \""
                  + price
                  + "\": spec.pricePerGpuHour in body should match '"
                  + PRICE_PATTERN
                  + "'"));
    }
    cases.add(
        refused(
            "maxGpus -1",
            gpuTier("capacityType: spot\nmaxGpus: -1"),
            "spec.maxGpus: Invalid value: -1: spec.maxGpus in body should be greater than or equal"
                + " to 0"));
    cases.add(
        refused(
            "a node selector value that is not a string",
            gpuTier("capacityType: spot\nnodeSelector: {gpu-count: 8}"),
            "spec.nodeSelector[gpu-count]: Invalid value: \"integer\": spec.nodeSelector[gpu-count]"
                + " in body must be of type string: \"integer\"",
            "Invalid value: \"null\": some validation rules were not checked because the object"
                + " was invalid; correct the existing errors to complete validation"));
    cases.add(
        refused(
            "a toleration of the wrong shape",
            gpuTier("capacityType: spot\ntolerations: [{key: gpu, tolerationSeconds: soon}]"),
            "spec.tolerations[0].tolerationSeconds: Invalid value: \"string\":"
                + " spec.tolerations[0].tolerationSeconds in body must be of type integer:"
                + " \"string\"",
            "Invalid value: \"null\": some validation rules were not checked because the object"
                + " was invalid; correct the existing errors to complete validation"));
    cases.add(
        refused(
            "an int-or-string that is neither",
            endpoint(
                VALID_SPEC
                    + "engine:\n  env:\n  - name: MEM\n    valueFrom:\n      resourceFieldRef:"
                    + " {resource: limits.memory, divisor: true}"),
            "spec.engine.env[0].valueFrom.resourceFieldRef.divisor: Invalid value: \"boolean\":"
                + " spec.engine.env[0].valueFrom.resourceFieldRef.divisor in body must be of type"
                + " integer or string: \"boolean\"",
            "Invalid value: \"null\": some validation rules were not checked because the object"
                + " was invalid; correct the existing errors to complete validation"));
    cases.add(
        refused(
            "a tier name with a dot, which endpoints cannot name",
            gpuTierNamed("a100.spot", "capacityType: spot"),
            "metadata.name: Invalid value: \"object\": must be a lowercase DNS label, at most 63"
                + " characters (it is a label value)"));
    cases.add(
        refused(
            "an unknown top-level field",
            gpuTier("capacityType: spot") + "\nspek: {}",
            "spek: unknown field \"spek\""));
    invalidNodePools(cases);
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidManifests")
  void refusedWithTheApiServersErrors(String name, String yaml, List<String> expected) {
    ValidationResult result = CrdValidator.forDormouse().validate(Manifests.parse(yaml));

    assertThat(result.valid()).isFalse();
    assertThat(result.errors()).map(FieldError::toString).containsExactlyElementsOf(expected);
  }

  /** A valid Karpenter tier to break one line of: spot A100s on an EC2NodeClass. */
  private static String karpenterTier(String nodePool) {
    return gpuTier(
        """
        capacityType: spot
        gpuProduct: a100
        maxGpus: 16
        nodePool:
        """
            + nodePool.indent(2));
  }

  private static final String NODE_CLASS =
      "nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}\n";

  private static void invalidNodePools(List<Arguments> cases) {
    cases.add(
        refused(
            "a node pool without its node class",
            karpenterTier("instanceTypes: [p4d.24xlarge]"),
            "spec.nodePool.nodeClassRef: Required value"));
    cases.add(
        refused(
            "a node class without a kind",
            karpenterTier(
                "nodeClassRef: {group: karpenter.k8s.aws, name: gpu}\n"
                    + "instanceTypes: [p4d.24xlarge]"),
            "spec.nodePool.nodeClassRef.kind: Required value"));
    cases.add(
        refused(
            "a node class group with a version",
            karpenterTier(
                "nodeClassRef: {group: karpenter.k8s.aws/v1, kind: EC2NodeClass, name: gpu}\n"
                    + "instanceTypes: [p4d.24xlarge]"),
            "spec.nodePool.nodeClassRef.group: Invalid value: \"karpenter.k8s.aws/v1\":"
                + " spec.nodePool.nodeClassRef.group in body should match '^[^/]*$'"));
    cases.add(
        refused(
            "a node pool that does not say which GPU nodes",
            karpenterTier(NODE_CLASS),
            "spec.nodePool: Invalid value: \"object\": must pick the GPU nodes: set"
                + " instanceTypes, gpuProductLabel (with spec.gpuProduct) or requirements"));
    cases.add(
        refused(
            "a GPU product label without a GPU product",
            gpuTier(
                """
                capacityType: spot
                nodePool:
                  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
                  gpuProductLabel: karpenter.k8s.aws/instance-gpu-name
                """),
            "spec.nodePool.gpuProductLabel: Invalid value: \"object\": needs spec.gpuProduct,"
                + " the value the NodePool requires of this label"));
    cases.add(
        refused(
            "a node selector beside a node pool",
            karpenterTier(NODE_CLASS + "instanceTypes: [p4d.24xlarge]")
                + "\n  nodeSelector: {pool: gpu}",
            "spec.nodeSelector: Invalid value: \"object\": must be empty when nodePool is set:"
                + " engine pods then select the NodePool's nodes by the dormouse.io/tier label"));
    cases.add(
        refused(
            "an instance type named twice",
            karpenterTier(NODE_CLASS + "instanceTypes: [p4d.24xlarge, p4d.24xlarge]"),
            "spec.nodePool.instanceTypes: Invalid value: \"array\": must not name an instance"
                + " type twice"));
    cases.add(
        refused(
            "a node idle timeout Karpenter cannot read",
            karpenterTier(NODE_CLASS + "instanceTypes: [p4d.24xlarge]\nnodeIdleTimeout: 1.5m"),
            "spec.nodePool.nodeIdleTimeout: Invalid value: \"1.5m\":"
                + " spec.nodePool.nodeIdleTimeout in body should match '^([0-9]+(s|m|h))+$'"));
    cases.add(
        refused(
            "a requirement on the capacity type, which capacityType sets",
            karpenterTier(
                NODE_CLASS
                    + "requirements: [{key: karpenter.sh/capacity-type, operator: In,"
                    + " values: [on-demand]}]"),
            "spec.nodePool.requirements[0].key: Invalid value: \"string\": is set by the"
                + " operator, from spec.capacityType and the tier's name"));
    cases.add(
        refused(
            "a requirement on a label Karpenter keeps to itself",
            karpenterTier(
                NODE_CLASS + "requirements: [{key: karpenter.sh/nodepool, operator: Exists}]"),
            "spec.nodePool.requirements[0].key: Invalid value: \"string\": is restricted by"
                + " Karpenter"));
    cases.add(
        refused(
            "a requirement with an unknown operator",
            karpenterTier(
                NODE_CLASS
                    + "requirements: [{key: karpenter.k8s.aws/instance-gpu-name, operator: Is,"
                    + " values: [a100]}]"),
            "spec.nodePool.requirements[0].operator: Unsupported value: \"Is\": supported"
                + " values: \"DoesNotExist\", \"Exists\", \"Gt\", \"Gte\", \"In\", \"Lt\","
                + " \"Lte\", \"NotIn\""));
    cases.add(
        refused(
            "a requirement In with no values",
            karpenterTier(
                NODE_CLASS
                    + "requirements: [{key: karpenter.k8s.aws/instance-gpu-name, operator: In}]"),
            "spec.nodePool.requirements[0]: Invalid value: \"object\": operator In needs at"
                + " least one value"));
    cases.add(
        refused(
            "a requirement Gt with a word",
            karpenterTier(
                NODE_CLASS
                    + "requirements: [{key: karpenter.k8s.aws/instance-gpu-memory, operator: Gt,"
                    + " values: [lots]}]"),
            "spec.nodePool.requirements[0]: Invalid value: \"object\": operators Gt, Lt, Gte"
                + " and Lte take exactly one non-negative integer value"));
    cases.add(
        refused(
            "a requirement Exists with values",
            karpenterTier(
                NODE_CLASS
                    + "requirements: [{key: karpenter.k8s.aws/instance-gpu-name, operator:"
                    + " Exists, values: [a100]}]"),
            "spec.nodePool.requirements[0]: Invalid value: \"object\": operators Exists and"
                + " DoesNotExist take no values"));
    cases.add(
        refused(
            "minValues above the values given",
            karpenterTier(
                NODE_CLASS
                    + "requirements: [{key: node.kubernetes.io/instance-type, operator: In,"
                    + " values: [p4d.24xlarge], minValues: 2}]"),
            "spec.nodePool.requirements[0]: Invalid value: \"object\": minValues needs operator"
                + " In with at least that many values"));
    cases.add(
        refused(
            "a disruption budget without nodes",
            karpenterTier(
                NODE_CLASS
                    + "instanceTypes: [p4d.24xlarge]\ndisruptionBudgets: [{reasons: [Empty]}]"),
            "spec.nodePool.disruptionBudgets[0].nodes: Required value"));
    cases.add(
        refused(
            "a disruption budget above 100%",
            karpenterTier(
                NODE_CLASS + "instanceTypes: [p4d.24xlarge]\ndisruptionBudgets: [{nodes: 150%}]"),
            "spec.nodePool.disruptionBudgets[0].nodes: Invalid value: \"150%\":"
                + " spec.nodePool.disruptionBudgets[0].nodes in body should match"
                + " '^((100|[0-9]{1,2})%|[0-9]+)$'"));
    cases.add(
        refused(
            "a disruption budget with a schedule and no duration",
            karpenterTier(
                NODE_CLASS
                    + "instanceTypes: [p4d.24xlarge]\n"
                    + "disruptionBudgets: [{nodes: \"0\", schedule: \"0 9 * * mon-fri\"}]"),
            "spec.nodePool.disruptionBudgets[0]: Invalid value: \"object\": schedule and"
                + " duration must be set together"));
    cases.add(
        refused(
            "a disruption reason Karpenter does not know",
            karpenterTier(
                NODE_CLASS
                    + "instanceTypes: [p4d.24xlarge]\n"
                    + "disruptionBudgets: [{nodes: \"1\", reasons: [Expired]}]"),
            "spec.nodePool.disruptionBudgets[0].reasons[0]: Unsupported value: \"Expired\":"
                + " supported values: \"Drifted\", \"Empty\", \"Underutilized\""));
    cases.add(
        refused(
            "a taint without an effect",
            karpenterTier(
                NODE_CLASS + "instanceTypes: [p4d.24xlarge]\ntaints: [{key: nvidia.com/gpu}]"),
            "spec.nodePool.taints[0].effect: Required value"));
    cases.add(
        refused(
            "a taint with an effect that is not one",
            karpenterTier(
                NODE_CLASS
                    + "instanceTypes: [p4d.24xlarge]\n"
                    + "taints: [{key: nvidia.com/gpu, effect: NoWay}]"),
            "spec.nodePool.taints[0].effect: Unsupported value: \"NoWay\": supported values:"
                + " \"NoExecute\", \"NoSchedule\", \"PreferNoSchedule\""));
  }

  private static Arguments refused(String name, String yaml, String... errors) {
    return Arguments.of(name, yaml, List.of(errors));
  }
}
