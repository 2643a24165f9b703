package io.dormouse.api.validation;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Applies a structural schema's {@code default}s as the API server does when it decodes an object:
 * nulls of non-nullable fields are dropped first, then an absent field with a default gets a copy
 * of it when its parent object exists, and the walk descends into defaulted values too (so {@code
 * scaling: {}} gains its own defaults).
 */
final class Defaulter {

  private Defaulter() {}

  /** Defaults the (mutable, already copied) tree in place. */
  @SuppressWarnings("unchecked")
  static void apply(Object value, SchemaNode schema) {
    if (schema == null) {
      return;
    }
    if (value instanceof Map<?, ?> raw) {
      Map<String, Object> map = (Map<String, Object>) raw;
      dropNulls(map, schema);
      schema
          .properties()
          .forEach(
              (name, property) -> {
                if (property.defaultValue() != null && !map.containsKey(name)) {
                  map.put(name, JsonTree.copy(property.defaultValue()));
                }
              });
      map.forEach((name, child) -> apply(child, schema.child(name)));
    } else if (value instanceof List<?> list) {
      list.forEach(item -> apply(item, schema.items()));
    }
  }

  private static void dropNulls(Map<String, Object> map, SchemaNode schema) {
    Iterator<Map.Entry<String, Object>> entries = map.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<String, Object> entry = entries.next();
      SchemaNode child = schema.child(entry.getKey());
      if (entry.getValue() == null && (child == null || !child.nullable())) {
        entries.remove();
      }
    }
  }
}
