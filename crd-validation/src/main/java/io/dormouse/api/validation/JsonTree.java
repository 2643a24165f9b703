package io.dormouse.api.validation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON view of the plain Java trees (maps, lists, scalars) that objects are decoded into. */
final class JsonTree {

  private JsonTree() {}

  /** The JSON type name of a value, as OpenAPI and Kubernetes' messages name it. */
  static String typeOf(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?>) {
      return "object";
    }
    if (value instanceof List<?>) {
      return "array";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof Number n) {
      return isIntegral(n) ? "integer" : "number";
    }
    return value.getClass().getSimpleName();
  }

  /** Whole numbers, including 2.0: JSON does not tell 2 from 2.0, and neither does OpenAPI. */
  static boolean isIntegral(Number n) {
    if (n instanceof Integer
        || n instanceof Long
        || n instanceof Short
        || n instanceof Byte
        || n instanceof BigInteger) {
      return true;
    }
    if (n instanceof BigDecimal d) {
      return d.stripTrailingZeros().scale() <= 0;
    }
    double d = n.doubleValue();
    return Double.isFinite(d) && d == Math.rint(d);
  }

  /** A deep, mutable copy, so that defaulting never touches the caller's object. */
  @SuppressWarnings("unchecked")
  static Object copy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(copy(v)));
      return out;
    }
    return value;
  }

  static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static String index(String path, int i) {
    return path + "[" + i + "]";
  }

  static String key(String path, String key) {
    return path + "[" + key + "]";
  }
}
