package io.dormouse.api.validation;

import static io.dormouse.api.validation.Manifests.endpoint;
import static io.dormouse.api.validation.Manifests.gpuTier;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The schema's defaults, applied as the API server applies them. */
class DefaultsTest {

  private static final String MINIMAL =
      endpoint(
          """
          model: {name: meta-llama/Meta-Llama-3-8B-Instruct}
          tiers: [spot-a100]
          access: {projects: [search]}
          """);

  private final CrdValidator validator = CrdValidator.forDormouse();

  static Stream<Arguments> defaultsOfAMinimalEndpoint() {
    return Stream.of(
        // No schema default: CEL must tell a written replicas from the autoscaling form; the
        // operator reads an absent one as 1.
        Arguments.of("spec.replicas", null),
        Arguments.of("spec.scaling.scaleDownDelay", "5m"),
        Arguments.of("spec.scaling.minReplicas", null),
        Arguments.of("spec.scaling.maxReplicas", null),
        Arguments.of("spec.maintenance", false),
        Arguments.of("spec.scaling.idleTimeout", "15m"),
        Arguments.of("spec.scaling.wakeTimeout", "10m"),
        Arguments.of("spec.scaling.tierStartTimeout", "5m"),
        Arguments.of("spec.scaling.tierRetryInterval", "30m"),
        Arguments.of("spec.scaling.alwaysOn", false),
        Arguments.of("spec.limits.maxConcurrentRequestsPerReplica", 500),
        Arguments.of("spec.limits.maxWaitingRequests", 1000),
        Arguments.of("spec.limits.requestsPerSecond", 100.0),
        Arguments.of("spec.limits.tokensPerSecond", 10000.0),
        Arguments.of("spec.engine.image", "vllm/vllm-openai:v0.11.0"),
        Arguments.of("spec.access.public", false));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("defaultsOfAMinimalEndpoint")
  void aMinimalEndpointGetsTheDocumentedDefaults(String path, Object expected) {
    Map<String, Object> defaulted = validator.withDefaults(Manifests.parse(MINIMAL));

    assertThat(at(defaulted, path)).isEqualTo(expected);
  }

  @Test
  void setValuesAreKept() {
    Map<String, Object> defaulted =
        validator.withDefaults(
            Manifests.parse(
                endpoint(
                    """
                    model: {name: m}
                    tiers: [a]
                    access: {public: true}
                    replicas: 3
                    scaling: {idleTimeout: 2m}
                    """)));

    assertThat(at(defaulted, "spec.replicas")).isEqualTo(3);
    assertThat(at(defaulted, "spec.scaling.idleTimeout")).isEqualTo("2m");
    assertThat(at(defaulted, "spec.scaling.wakeTimeout")).isEqualTo("10m");
    assertThat(at(defaulted, "spec.access.public")).isEqualTo(true);
  }

  @Test
  void aDefaultAppliesOnlyWhereItsParentExists() {
    Map<String, Object> withCache =
        validator.withDefaults(
            Manifests.parse(
                endpoint(
                    """
                    model: {name: m}
                    tiers: [a]
                    access: {public: true}
                    engine: {modelCache: {claimName: weights}}
                    """)));
    Map<String, Object> withoutCache = validator.withDefaults(Manifests.parse(MINIMAL));

    assertThat(at(withCache, "spec.engine.modelCache.mountPath")).isEqualTo("/models");
    assertThat(at(withoutCache, "spec.engine.modelCache")).isNull();
    assertThat(withoutCache).doesNotContainKey("status");
  }

  @Test
  void aGpuTierDefaultsToNvidiaGpus() {
    Map<String, Object> defaulted =
        validator.withDefaults(Manifests.parse(gpuTier("capacityType: spot")));

    assertThat(at(defaulted, "spec.gpuResource")).isEqualTo("nvidia.com/gpu");
  }

  @Test
  void defaultingTwiceChangesNothingMore() {
    Map<String, Object> once = validator.withDefaults(Manifests.parse(MINIMAL));

    assertThat(validator.withDefaults(once)).isEqualTo(once);
    assertThat(validator.validate(once).errors()).isEmpty();
  }

  @Test
  void unknownKindsComeBackUnchanged() {
    Map<String, Object> pod =
        Manifests.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}");

    assertThat(validator.withDefaults(pod)).isEqualTo(pod);
  }

  private static Object at(Map<String, Object> object, String dottedPath) {
    Object current = object;
    for (String part : dottedPath.split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(part);
    }
    return current;
  }
}
