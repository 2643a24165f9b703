package io.dormouse.chart;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders docs/api-reference.md from the generated CRDs: every field that carries a description,
 * with its type, default and validation (OpenAPI constraints and CEL rules). Fields without a
 * description are embedded Kubernetes types (EnvVar, Toleration, Condition) and are not repeated.
 */
final class ApiReference {

  static final String REFRESH =
      "mvn -B -o -q test -pl helm -Dtest=ApiReferenceTest -Ddormouse.docs.write=true";

  private ApiReference() {}

  static String render(List<JsonNode> crds) {
    StringBuilder md = new StringBuilder();
    md.append("# API reference\n\n")
        .append("<!-- Generated from the CRDs by helm/src/test/java/io/dormouse/chart/")
        .append("ApiReference.java; do not edit by hand. Refresh with:\n     ")
        .append(REFRESH)
        .append(" -->\n\n");
    JsonNode first = crds.get(0).get("spec");
    md.append("API group `")
        .append(first.get("group").asText())
        .append("`, version `")
        .append(first.at("/versions/0/name").asText())
        .append("`. The API server enforces every constraint listed here: a manifest that ")
        .append("breaks one is refused with a message naming the field.\n\n");
    for (JsonNode crd : crds) {
      String kind = crd.at("/spec/names/kind").asText();
      md.append("- [").append(kind).append("](#").append(kind.toLowerCase()).append(")\n");
    }
    for (JsonNode crd : crds) {
      kind(md, crd);
    }
    return md.toString();
  }

  private static void kind(StringBuilder md, JsonNode crd) {
    JsonNode spec = crd.get("spec");
    JsonNode version = spec.at("/versions/0");
    JsonNode schema = version.at("/schema/openAPIV3Schema");
    md.append("\n## ").append(spec.at("/names/kind").asText()).append("\n\n");
    if (schema.has("description")) {
      md.append(schema.get("description").asText()).append("\n\n");
    }
    md.append("- Scope: ")
        .append(spec.get("scope").asText().equals("Namespaced") ? "namespaced" : "cluster")
        .append("; plural `")
        .append(spec.at("/names/plural").asText())
        .append("`; short name");
    spec.at("/names/shortNames").forEach(n -> md.append(" `").append(n.asText()).append("`"));
    md.append("\n- `kubectl get ")
        .append(spec.at("/names/shortNames/0").asText())
        .append("` shows:");
    List<String> columns = new ArrayList<>();
    version.path("additionalPrinterColumns").forEach(c -> columns.add(c.get("name").asText()));
    md.append(" ").append(String.join(", ", columns)).append("\n");
    if (version.at("/subresources/status").isObject()) {
      md.append("- `status` is a subresource: only the operator writes it.\n");
    }
    for (String part : List.of("spec", "status")) {
      JsonNode node = schema.at("/properties/" + part);
      if (node.isMissingNode()) {
        continue;
      }
      md.append("\n### ").append(part).append("\n\n");
      if (node.has("description")) {
        md.append(node.get("description").asText()).append("\n\n");
      }
      md.append("| field | type | default | validation | description |\n")
          .append("|---|---|---|---|---|\n");
      fields(md, part, node);
      rules(node, part).forEach(r -> md.append("\n").append(r));
    }
  }

  private static void fields(StringBuilder md, String path, JsonNode object) {
    Set<String> required = new TreeSet<>();
    object.path("required").forEach(r -> required.add(r.asText()));
    for (Iterator<Map.Entry<String, JsonNode>> it = object.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode field = e.getValue();
      if (!field.has("description")) {
        continue;
      }
      String name = path + "." + e.getKey();
      md.append("| `")
          .append(name)
          .append("` | ")
          .append(type(field))
          .append(" | ")
          .append(defaultValue(field))
          .append(" | ")
          .append(cell(validation(field, required.contains(e.getKey()))))
          .append(" | ")
          .append(cell(field.get("description").asText()))
          .append(" |\n");
      if (field.has("properties")) {
        fields(md, name, field);
      } else if (field.path("items").has("properties")) {
        fields(md, name + "[]", field.get("items"));
      }
    }
  }

  /** CEL rules on the object itself, shown under its table. */
  private static List<String> rules(JsonNode object, String path) {
    List<String> out = new ArrayList<>();
    object
        .path("x-kubernetes-validations")
        .forEach(
            r ->
                out.add(
                    "Rule on `"
                        + path
                        + "`: `"
                        + r.get("rule").asText()
                        + "` — \""
                        + r.get("message").asText()
                        + "\"\n"));
    return out;
  }

  static String type(JsonNode field) {
    if (field.path("x-kubernetes-int-or-string").asBoolean()) {
      return "int or string";
    }
    String type = field.path("type").asText();
    return switch (type) {
      case "array" -> "[]" + type(field.get("items"));
      case "object" ->
          field.has("additionalProperties")
              ? "map[string]" + type(field.get("additionalProperties"))
              : "object";
      default -> type;
    };
  }

  static String validation(JsonNode field, boolean required) {
    List<String> parts = new ArrayList<>();
    if (required) {
      parts.add("**required**");
    }
    bound(parts, field, "minimum", "≥ ");
    bound(parts, field, "maximum", "≤ ");
    bound(parts, field, "minLength", "length ≥ ");
    bound(parts, field, "maxLength", "length ≤ ");
    bound(parts, field, "minItems", "items ≥ ");
    bound(parts, field, "maxItems", "items ≤ ");
    if (field.has("enum")) {
      List<String> values = new ArrayList<>();
      field.get("enum").forEach(v -> values.add("`" + v.asText() + "`"));
      parts.add("one of " + String.join(", ", values));
    }
    if (field.has("pattern")) {
      parts.add("pattern `" + field.get("pattern").asText() + "`");
    }
    field
        .path("x-kubernetes-validations")
        .forEach(r -> parts.add(r.get("message").asText() + " (`" + r.get("rule").asText() + "`)"));
    return String.join("; ", parts);
  }

  private static void bound(List<String> parts, JsonNode field, String key, String prefix) {
    if (field.has(key)) {
      parts.add(prefix + literal(field.get(key)));
    }
  }

  /** An object's default only restates its fields' defaults, listed on their own rows. */
  private static String defaultValue(JsonNode field) {
    if (!field.has("default")) {
      return "";
    }
    JsonNode value = field.get("default");
    return value.isObject() ? "its fields' defaults" : "`" + cell(literal(value)) + "`";
  }

  /** 1.0 reads as 1: the generator writes integer bounds as floats. */
  private static String literal(JsonNode value) {
    if (value.isNumber() && value.asDouble() == Math.rint(value.asDouble())) {
      return Long.toString(value.asLong());
    }
    return value.isTextual() ? value.asText() : value.toString();
  }

  /** A Markdown table cell: pipes would split it. */
  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
