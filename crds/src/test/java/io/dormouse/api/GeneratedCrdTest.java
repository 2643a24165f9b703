package io.dormouse.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What users see of the generated CRDs: kubectl explain, kubectl get, short names, scope. */
class GeneratedCrdTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * Kubernetes core types embedded in the API (EnvVar, Toleration, Condition): the generator takes
   * their schema from Fabric8's model, which carries no descriptions below the field itself.
   */
  private static final Set<String> EMBEDDED_CORE_TYPES =
      Set.of("spec.engine.env", "spec.tolerations", "status.conditions", "spec.endpointSelector");

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"inferenceendpoints.dormouse.io", "gputiers.dormouse.io", "webhooks.dormouse.io"})
  void kubectlExplainDescribesEveryField(String crd) throws IOException {
    Map<?, ?> root = schemaOf(load(crd));
    List<String> undescribed = new ArrayList<>();
    collectUndescribed(root, "", undescribed);

    assertThat(root.get("description")).as("description of the kind").isNotNull();
    assertThat(undescribed).as("fields without a description").isEmpty();
  }

  @Test
  void kubectlGetShowsTheEndpointsState() throws IOException {
    Map<?, ?> crd = load("inferenceendpoints.dormouse.io");

    // In the declared order, not the generator's order by JSON path (CrdGeneration).
    assertThat(columns(crd))
        .containsExactly(
            "SERVED-NAME", "MODEL", "PHASE", "TIER", "READY", "LAST-ACTIVITY", "COST-TODAY", "AGE");
    assertThat(names(crd).get("shortNames")).isEqualTo(List.of("ie"));
    assertThat(spec(crd).get("scope")).isEqualTo("Namespaced");
    assertThat(version(crd).get("subresources")).isEqualTo(Map.of("status", Map.of()));
  }

  @Test
  void kubectlGetShowsTheTiersUse() throws IOException {
    Map<?, ?> crd = load("gputiers.dormouse.io");

    assertThat(columns(crd))
        .containsExactly("GPU", "CAPACITY", "PRICE", "NODES", "PROVISIONED", "IN-USE", "AGE");
    assertThat(names(crd).get("shortNames")).isEqualTo(List.of("gt"));
    assertThat(spec(crd).get("scope")).isEqualTo("Cluster");
    assertThat(version(crd).get("subresources")).isEqualTo(Map.of("status", Map.of()));
  }

  private static void collectUndescribed(Map<?, ?> schema, String path, List<String> out) {
    if (!(schema.get("properties") instanceof Map<?, ?> properties)) {
      return;
    }
    properties.forEach(
        (name, sub) -> {
          String child = path.isEmpty() ? name.toString() : path + "." + name;
          Map<?, ?> property = (Map<?, ?>) sub;
          if (property.get("description") == null) {
            out.add(child);
          }
          if (EMBEDDED_CORE_TYPES.contains(child)) {
            return;
          }
          collectUndescribed(property, child, out);
          if (property.get("items") instanceof Map<?, ?> items) {
            collectUndescribed(items, child + "[]", out);
          }
        });
  }

  private static List<Object> columns(Map<?, ?> crd) {
    return ((List<?>) version(crd).get("additionalPrinterColumns"))
        .stream().map(c -> ((Map<?, ?>) c).get("name")).map(Object.class::cast).toList();
  }

  private static Map<?, ?> schemaOf(Map<?, ?> crd) {
    return (Map<?, ?>) ((Map<?, ?>) version(crd).get("schema")).get("openAPIV3Schema");
  }

  private static Map<?, ?> version(Map<?, ?> crd) {
    List<?> versions = (List<?>) spec(crd).get("versions");
    assertThat(versions).hasSize(1);
    return (Map<?, ?>) versions.get(0);
  }

  private static Map<?, ?> names(Map<?, ?> crd) {
    return (Map<?, ?>) spec(crd).get("names");
  }

  private static Map<?, ?> spec(Map<?, ?> crd) {
    return (Map<?, ?>) crd.get("spec");
  }

  private static Map<?, ?> load(String crd) throws IOException {
    String resource = "META-INF/fabric8/" + crd + "-v1.yml";
    try (InputStream in = GeneratedCrdTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return YAML.readValue(in, new TypeReference<Map<String, Object>>() {});
    }
  }
}
