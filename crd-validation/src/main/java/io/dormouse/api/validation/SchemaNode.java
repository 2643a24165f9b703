package io.dormouse.api.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One node of a CRD's structural schema (the subset of OpenAPI v3 Kubernetes accepts), with its
 * pattern and CEL rules compiled once. Absent constraints are null.
 */
record SchemaNode(
    String type,
    boolean intOrString,
    boolean preserveUnknownFields,
    boolean nullable,
    Map<String, SchemaNode> properties,
    Set<String> required,
    SchemaNode items,
    SchemaNode additionalProperties,
    List<Object> enumValues,
    String pattern,
    Pattern compiledPattern,
    Double minimum,
    Double maximum,
    Long minLength,
    Long maxLength,
    Long minItems,
    Long maxItems,
    Object defaultValue,
    List<CelRule> rules) {

  /** A node that accepts anything, e.g. {@code additionalProperties: true}. */
  static final SchemaNode ANY =
      new SchemaNode(
          null, false, true, true, Map.of(), Set.of(), null, null, List.of(), null, null, null,
          null, null, null, null, null, null, List.of());

  static SchemaNode parse(Map<?, ?> json, CelRuleCompiler rules, String path) {
    Map<String, SchemaNode> properties = new LinkedHashMap<>();
    if (json.get("properties") instanceof Map<?, ?> props) {
      props.forEach(
          (name, sub) ->
              properties.put(
                  name.toString(),
                  parse((Map<?, ?>) sub, rules, JsonTree.child(path, name.toString()))));
    }
    SchemaNode additional = null;
    if (json.get("additionalProperties") instanceof Map<?, ?> sub) {
      additional = parse(sub, rules, path + "[*]");
    } else if (Boolean.TRUE.equals(json.get("additionalProperties"))) {
      additional = ANY;
    }
    List<CelRule> compiled = new ArrayList<>();
    if (json.get("x-kubernetes-validations") instanceof List<?> list) {
      for (Object rule : list) {
        compiled.add(rules.compile((Map<?, ?>) rule, path));
      }
    }
    String pattern = (String) json.get("pattern");
    return new SchemaNode(
        (String) json.get("type"),
        Boolean.TRUE.equals(json.get("x-kubernetes-int-or-string")),
        Boolean.TRUE.equals(json.get("x-kubernetes-preserve-unknown-fields")),
        Boolean.TRUE.equals(json.get("nullable")),
        properties,
        json.get("required") instanceof List<?> req ? stringSet(req) : Set.of(),
        json.get("items") instanceof Map<?, ?> items ? parse(items, rules, path + "[*]") : null,
        additional,
        json.get("enum") instanceof List<?> values ? List.copyOf(values) : List.of(),
        pattern,
        pattern == null ? null : Pattern.compile(pattern),
        number(json.get("minimum")),
        number(json.get("maximum")),
        count(json.get("minLength")),
        count(json.get("maxLength")),
        count(json.get("minItems")),
        count(json.get("maxItems")),
        json.get("default"),
        List.copyOf(compiled));
  }

  /** The schema of an object's field: its declared property, else the map's value schema. */
  SchemaNode child(String name) {
    SchemaNode property = properties.get(name);
    return property != null ? property : additionalProperties;
  }

  /** Whether unknown keys of an object are kept rather than refused. */
  boolean acceptsUnknownFields() {
    return preserveUnknownFields && additionalProperties == null;
  }

  private static Set<String> stringSet(List<?> values) {
    Set<String> out = new LinkedHashSet<>();
    values.forEach(v -> out.add(v.toString()));
    return out;
  }

  private static Double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : null;
  }

  private static Long count(Object value) {
    return value instanceof Number n ? n.longValue() : null;
  }
}
