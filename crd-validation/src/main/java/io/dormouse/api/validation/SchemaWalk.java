package io.dormouse.api.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a decoded object along its structural schema and collects the OpenAPI refusals (type,
 * required, enum, pattern, bounds, unknown fields) in the API server's order, plus the places where
 * CEL rules are to be checked. Rules are not evaluated here: the API server skips them all when any
 * value has the wrong type, which is only known at the end of the walk.
 */
final class SchemaWalk {

  /** A value whose node carries CEL rules, with the path it was found at. */
  record RuleSite(String path, SchemaNode schema, Object value) {}

  private final List<FieldError> errors = new ArrayList<>();
  private final List<RuleSite> ruleSites = new ArrayList<>();

  private SchemaWalk() {}

  /**
   * Walks a whole object. Its {@code apiVersion}, {@code kind} and {@code metadata} are the API
   * server's business and not in the CRD's schema.
   */
  static SchemaWalk ofObject(Map<?, ?> object, SchemaNode root) {
    SchemaWalk walk = new SchemaWalk();
    walk.walkObject(object, root, "", Set.of("apiVersion", "kind", "metadata"));
    if (!root.rules().isEmpty()) {
      walk.ruleSites.add(new RuleSite("", root, object));
    }
    return walk;
  }

  List<FieldError> errors() {
    return errors;
  }

  List<RuleSite> ruleSites() {
    return ruleSites;
  }

  boolean hasTypeErrors() {
    return errors.stream().anyMatch(e -> e.reason() == FieldError.Reason.TYPE_INVALID);
  }

  private void walk(Object value, SchemaNode schema, String path) {
    if (value == null) {
      if (!schema.nullable()) {
        errors.add(Messages.typeInvalid(path, expectedType(schema), null));
      }
      return;
    }
    if (!hasType(value, schema)) {
      errors.add(Messages.typeInvalid(path, expectedType(schema), value));
      return;
    }
    if (!schema.enumValues().isEmpty() && !inEnum(value, schema.enumValues())) {
      errors.add(Messages.notSupported(path, value, schema.enumValues()));
    }
    if (value instanceof String s) {
      checkString(s, schema, path);
    } else if (value instanceof Number n) {
      checkNumber(n, schema, path);
    } else if (value instanceof List<?> list) {
      checkArray(list, schema, path);
    } else if (value instanceof Map<?, ?> map) {
      walkObject(map, schema, path, Set.of());
    }
    if (!schema.rules().isEmpty()) {
      ruleSites.add(new RuleSite(path, schema, value));
    }
  }

  private void walkObject(Map<?, ?> map, SchemaNode schema, String path, Set<String> implicit) {
    for (String name : schema.required()) {
      if (!map.containsKey(name)) {
        errors.add(Messages.required(JsonTree.child(path, name)));
      }
    }
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String name = String.valueOf(entry.getKey());
      SchemaNode property = schema.properties().get(name);
      if (property != null) {
        walk(entry.getValue(), property, JsonTree.child(path, name));
      } else if (schema.additionalProperties() != null) {
        walk(entry.getValue(), schema.additionalProperties(), JsonTree.key(path, name));
      } else if (!implicit.contains(name) && !schema.acceptsUnknownFields()) {
        errors.add(Messages.unknownField(JsonTree.child(path, name)));
      }
    }
  }

  private void checkString(String s, SchemaNode schema, String path) {
    long length = s.codePointCount(0, s.length());
    if (schema.maxLength() != null && length > schema.maxLength()) {
      errors.add(Messages.tooLong(path, schema.maxLength()));
    }
    if (schema.minLength() != null && length < schema.minLength()) {
      errors.add(Messages.minLength(path, s, schema.minLength()));
    }
    // OpenAPI patterns are searched, not matched whole; anchors are the schema's to write.
    if (schema.compiledPattern() != null && !schema.compiledPattern().matcher(s).find()) {
      errors.add(Messages.pattern(path, s, schema.pattern()));
    }
  }

  private void checkNumber(Number n, SchemaNode schema, String path) {
    double d = n.doubleValue();
    if (schema.maximum() != null && d > schema.maximum()) {
      errors.add(Messages.maximum(path, n, schema.maximum()));
    }
    if (schema.minimum() != null && d < schema.minimum()) {
      errors.add(Messages.minimum(path, n, schema.minimum()));
    }
  }

  private void checkArray(List<?> list, SchemaNode schema, String path) {
    if (schema.maxItems() != null && list.size() > schema.maxItems()) {
      errors.add(Messages.tooMany(path, list.size(), schema.maxItems()));
    }
    if (schema.minItems() != null && list.size() < schema.minItems()) {
      errors.add(Messages.minItems(path, list.size(), schema.minItems()));
    }
    if (schema.items() != null) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), schema.items(), JsonTree.index(path, i));
      }
    }
  }

  private static boolean hasType(Object value, SchemaNode schema) {
    if (schema.intOrString()) {
      return value instanceof String || value instanceof Number n && JsonTree.isIntegral(n);
    }
    if (schema.type() == null) {
      return true;
    }
    return switch (schema.type()) {
      case "object" -> value instanceof Map<?, ?>;
      case "array" -> value instanceof List<?>;
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "integer" -> value instanceof Number n && JsonTree.isIntegral(n);
      case "number" -> value instanceof Number;
      default -> true;
    };
  }

  private static String expectedType(SchemaNode schema) {
    return schema.intOrString() ? "integer or string" : schema.type();
  }

  private static boolean inEnum(Object value, List<Object> allowed) {
    for (Object candidate : allowed) {
      if (candidate.equals(value)
          || candidate instanceof Number a
              && value instanceof Number b
              && a.doubleValue() == b.doubleValue()) {
        return true;
      }
    }
    return false;
  }
}
