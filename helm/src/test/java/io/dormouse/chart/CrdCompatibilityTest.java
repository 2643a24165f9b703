package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The additive-only check of CRDs, on the real InferenceEndpoint CRD changed the ways a careless
 * release could change it.
 */
class CrdCompatibilityTest {

  private static final String CRD = "inferenceendpoints.dormouse.io v1alpha1 ";

  @Test
  void anUnchangedCrdBreaksNothing() {
    assertThat(CrdCompatibility.breakingChanges(crd(), crd())).isEmpty();
  }

  @Test
  void aNewOptionalFieldAndANewEnumValueBreakNothing() {
    assertThat(
            breaking(
                s -> {
                  properties(s, "spec.scaling").putObject("minReplicas").put("type", "integer");
                  enumOf(property(s, "status.phase")).add("Draining");
                }))
        .isEmpty();
  }

  @Test
  void aRemovedFieldBreaks() {
    assertThat(breaking(s -> properties(s, "spec.scaling").remove("idleTimeout")))
        .containsExactly(CRD + "spec.scaling.idleTimeout: removed");
  }

  @Test
  void aChangedTypeBreaks() {
    assertThat(breaking(s -> property(s, "spec.replicas").put("type", "string")))
        .containsExactly(CRD + "spec.replicas: type integer → string");
  }

  @Test
  void aNewlyRequiredFieldBreaksUnlessItHasADefault() {
    assertThat(breaking(s -> required(property(s, "spec.scaling")).add("idleTimeout"))).isEmpty();
    assertThat(breaking(s -> required(property(s, "spec.scaling")).add("alwaysOn"))).isEmpty();
    assertThat(breaking(s -> required(property(s, "spec.model")).add("servedName")))
        .containsExactly(CRD + "spec.model.servedName: newly required, without a default");
  }

  @Test
  void aWithdrawnEnumValueBreaks() {
    assertThat(
            breaking(
                s -> {
                  ArrayNode values = enumOf(property(s, "status.phase"));
                  for (int i = 0; i < values.size(); i++) {
                    if (values.get(i).asText().equals("Degraded")) {
                      values.remove(i);
                    }
                  }
                }))
        .containsExactly(CRD + "status.phase: enum value \"Degraded\" withdrawn");
  }

  @Test
  void aRemovedVersionBreaks() {
    ObjectNode after = crd();
    ((ObjectNode) after.at("/spec/versions/0")).put("name", "v1beta1");

    assertThat(CrdCompatibility.breakingChanges(crd(), after))
        .containsExactly("inferenceendpoints.dormouse.io v1alpha1: version removed");
  }

  private static List<String> breaking(Consumer<ObjectNode> change) {
    ObjectNode after = crd();
    change.accept((ObjectNode) after.at("/spec/versions/0/schema/openAPIV3Schema"));
    return CrdCompatibility.breakingChanges(crd(), after);
  }

  private static ObjectNode crd() {
    return (ObjectNode)
        Chart.render(ValueSet.DEFAULTS)
            .one("CustomResourceDefinition", "inferenceendpoints.dormouse.io")
            .deepCopy();
  }

  private static ObjectNode property(ObjectNode schema, String path) {
    JsonNode node = schema;
    for (String name : path.split("\\.")) {
      node = node.path("properties").path(name);
    }
    assertThat(node.isObject()).as(path).isTrue();
    return (ObjectNode) node;
  }

  private static ObjectNode properties(ObjectNode schema, String path) {
    return (ObjectNode) property(schema, path).get("properties");
  }

  private static ArrayNode required(ObjectNode property) {
    return property.has("required")
        ? (ArrayNode) property.get("required")
        : property.putArray("required");
  }

  private static ArrayNode enumOf(ObjectNode property) {
    assertThat(property.has("enum")).as("enum").isTrue();
    return (ArrayNode) property.get("enum");
  }
}
