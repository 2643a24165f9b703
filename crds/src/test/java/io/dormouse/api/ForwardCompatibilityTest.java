package io.dormouse.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * During an upgrade the CRDs and one component are already at the next minor version while the
 * other still runs this one (docs/operations.md, "Version policy"). The newer side may write fields
 * this version does not know, in the spec (a user sets a new option) or the status (the newer
 * operator records more). This version's readers must ignore them: an object they cannot read drops
 * out of the gateway's routes and the operator's reconciliation.
 */
class ForwardCompatibilityTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** The name of the field a later version adds; at every level of the object. */
  static final String NEWER_FIELD = "fieldOfALaterVersion";

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "inferenceendpoints.dormouse.io, io.dormouse.api.v1alpha1.InferenceEndpoint",
    "gputiers.dormouse.io,           io.dormouse.api.v1alpha1.GpuTier",
    "webhooks.dormouse.io,           io.dormouse.api.v1alpha1.Webhook"
  })
  void anObjectWithFieldsOfALaterVersionAtEveryLevelIsRead(String crd, Class<?> type)
      throws IOException {
    ObjectNode object = objectWithNewerFieldsEverywhere(crd);
    String json = object.toString();

    assertThat(json).contains(NEWER_FIELD);
    assertThatCode(() -> new KubernetesSerialization().unmarshal(json, type))
        .as("%s written by a later version", crd)
        .doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "inferenceendpoints.dormouse.io, io.dormouse.api.v1alpha1.InferenceEndpoint",
    "gputiers.dormouse.io,           io.dormouse.api.v1alpha1.GpuTier",
    "webhooks.dormouse.io,           io.dormouse.api.v1alpha1.Webhook"
  })
  void whatThisVersionKnowsIsStillReadBesideTheNewerFields(String crd, Class<?> type)
      throws IOException {
    ObjectNode object = objectWithNewerFieldsEverywhere(crd);

    CustomResource<?, ?> read =
        (CustomResource<?, ?>) new KubernetesSerialization().unmarshal(object.toString(), type);
    JsonNode reread = new KubernetesSerialization().convertValue(read, JsonNode.class);

    assertThat(reread.at("/metadata/name").asText()).isEqualTo("sample");
    for (String part : new String[] {"spec", "status"}) {
      ObjectNode known = object.path(part).deepCopy();
      known.remove(NEWER_FIELD);
      assertThat(fieldNames(reread.path(part))).as(part).isEqualTo(fieldNames(known));
    }
  }

  static ObjectNode objectWithNewerFieldsEverywhere(String crd) throws IOException {
    JsonNode version = load(crd).at("/spec/versions/0");
    JsonNode schema = version.at("/schema/openAPIV3Schema");
    ObjectNode object = JSON.objectNode();
    object.put(
        "apiVersion", load(crd).at("/spec/group").asText() + "/" + version.path("name").asText());
    object.put("kind", load(crd).at("/spec/names/kind").asText());
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", "sample");
    if ("Namespaced".equals(load(crd).at("/spec/scope").asText())) {
      metadata.put("namespace", "team-a");
    }
    object.set("spec", sample(schema.at("/properties/spec")));
    object.set("status", sample(schema.at("/properties/status")));
    object.put(NEWER_FIELD, "top level");
    return object;
  }

  /** A value for every property the schema declares, and a newer field in every object. */
  private static JsonNode sample(JsonNode schema) {
    if (schema.has("enum")) {
      return schema.get("enum").get(0);
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
      return JSON.textNode("1");
    }
    switch (schema.path("type").asText()) {
      case "object":
        return objectSample(schema);
      case "array":
        ArrayNode array = JSON.arrayNode();
        array.add(sample(schema.path("items")));
        return array;
      case "integer":
      case "number":
        return JSON.numberNode(1);
      case "boolean":
        return JSON.booleanNode(true);
      default:
        return JSON.textNode("1");
    }
  }

  private static ObjectNode objectSample(JsonNode schema) {
    ObjectNode object = JSON.objectNode();
    if (schema.has("properties")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.get("properties").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        object.set(property.getKey(), sample(property.getValue()));
      }
      object.put(NEWER_FIELD, "from a later version");
    } else if (schema.path("additionalProperties").isObject()) {
      object.set("key", sample(schema.get("additionalProperties")));
    }
    return object;
  }

  private static JsonNode load(String crd) throws IOException {
    String resource = "META-INF/fabric8/" + crd + "-v1.yml";
    try (InputStream in =
        ForwardCompatibilityTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return YAML.readTree(in);
    }
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
