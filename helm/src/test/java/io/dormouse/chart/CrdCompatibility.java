package io.dormouse.chart;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Within one API version a CRD may only grow (docs/operations.md, "Version policy"): every object
 * the previous release accepted and stored must stay valid, and every field its clients read must
 * stay. This finds the changes that break that: a field removed, a type changed, a field newly
 * required without a default, an enum value withdrawn. Tighter bounds and new CEL rules are not
 * found here; they are reviewed by hand.
 */
final class CrdCompatibility {

  private CrdCompatibility() {}

  /** The breaking changes from {@code before} to {@code after}, for each version both serve. */
  static List<String> breakingChanges(JsonNode before, JsonNode after) {
    List<String> found = new ArrayList<>();
    String crd = before.at("/metadata/name").asText();
    for (JsonNode version : before.at("/spec/versions")) {
      String name = version.path("name").asText();
      JsonNode next = version(after, name);
      if (next == null) {
        found.add(crd + " " + name + ": version removed");
        continue;
      }
      compare(
          crd + " " + name + " ",
          "",
          version.at("/schema/openAPIV3Schema"),
          next.at("/schema/openAPIV3Schema"),
          found);
      if (version.at("/subresources/status").isObject()
          && !next.at("/subresources/status").isObject()) {
        found.add(crd + " " + name + ": the status subresource was removed");
      }
    }
    return found;
  }

  private static void compare(
      String prefix, String path, JsonNode before, JsonNode after, List<String> found) {
    String at = path.isEmpty() ? "(root)" : path;
    if (!before.path("type").asText().equals(after.path("type").asText())) {
      found.add(
          prefix
              + at
              + ": type "
              + before.path("type").asText()
              + " → "
              + after.path("type").asText());
      return;
    }
    if (before.has("enum")) {
      Set<JsonNode> allowed = new HashSet<>();
      after.path("enum").forEach(allowed::add);
      before
          .get("enum")
          .forEach(
              value -> {
                if (after.has("enum") && !allowed.contains(value)) {
                  found.add(prefix + at + ": enum value " + value + " withdrawn");
                }
              });
    }
    Set<String> required = new HashSet<>();
    before.path("required").forEach(r -> required.add(r.asText()));
    for (JsonNode r : after.path("required")) {
      String field = r.asText();
      if (!required.contains(field) && !after.at("/properties/" + field).has("default")) {
        found.add(prefix + join(path, field) + ": newly required, without a default");
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = before.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      String child = join(path, property.getKey());
      JsonNode next = after.path("properties").path(property.getKey());
      if (next.isMissingNode()) {
        if (!after.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
          found.add(prefix + child + ": removed");
        }
        continue;
      }
      compare(prefix, child, property.getValue(), next, found);
    }
    if (before.has("items") && after.has("items")) {
      compare(prefix, path + "[]", before.get("items"), after.get("items"), found);
    }
    if (before.path("additionalProperties").isObject()
        && after.path("additionalProperties").isObject()) {
      compare(
          prefix,
          path + "{}",
          before.get("additionalProperties"),
          after.get("additionalProperties"),
          found);
    }
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private static JsonNode version(JsonNode crd, String name) {
    for (JsonNode version : crd.at("/spec/versions")) {
      if (version.path("name").asText().equals(name)) {
        return version;
      }
    }
    return null;
  }
}
