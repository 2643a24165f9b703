package io.dormouse.sim.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A strategic merge patch read as a merge patch: its directives ({@code $setElementOrder/...},
 * {@code $retainKeys}, {@code $deleteFromPrimitiveList/...}) dropped, {@code $patch: delete} turned
 * into a removal. For the objects kubectl patches in the sim (namespaces, Secrets, claims, labels)
 * the result is what the API server stores.
 */
final class StrategicDirectives {

  private StrategicDirectives() {}

  static JsonNode strip(JsonNode patch) {
    if (patch instanceof ObjectNode object) {
      if ("delete".equals(object.path("$patch").asText())) {
        return JsonNodeFactory.instance.nullNode();
      }
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!field.getKey().startsWith("$")) {
          out.set(field.getKey(), strip(field.getValue()));
        }
      }
      return out;
    }
    if (patch instanceof ArrayNode array) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      array.forEach(item -> out.add(strip(item)));
      return out;
    }
    return patch;
  }
}
