package io.dormouse.api.validation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a decoded value into what a rule sees as {@code self}, typed by the schema as the API
 * server types it: {@code integer} as CEL int (Long), {@code number} as CEL double even when the
 * JSON holds {@code 0}, objects as maps whose absent fields {@code has()} can test.
 */
final class CelValues {

  private CelValues() {}

  static Object of(Object value, SchemaNode schema) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            String key = String.valueOf(k);
            out.put(key, of(v, schema == null ? null : schema.child(key)));
          });
      return out;
    }
    if (value instanceof List<?> list) {
      SchemaNode items = schema == null ? null : schema.items();
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(of(v, items)));
      return out;
    }
    if (value instanceof Number n) {
      boolean asDouble =
          schema != null && "number".equals(schema.type()) || !JsonTree.isIntegral(n);
      return asDouble ? n.doubleValue() : toLong(n);
    }
    return value;
  }

  private static long toLong(Number n) {
    return n instanceof BigDecimal d ? d.longValue() : n.longValue();
  }
}
