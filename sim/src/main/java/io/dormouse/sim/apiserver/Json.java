package io.dormouse.sim.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** Reading objects held as JSON maps, the form the API server handles them in. */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private Json() {}

  static Map<String, Object> read(String json) {
    try {
      return MAPPER.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps of JSON values always serialize", e);
    }
  }

  /** A dotted path ({@code .spec.model.name} or {@code spec.model.name}); null when missing. */
  @SuppressWarnings("unchecked")
  static Object at(Object object, String path) {
    Object current = object;
    for (String part : path.replaceFirst("^\\.", "").split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = ((Map<String, Object>) map).get(part);
    }
    return current;
  }

  static String text(Object object, String path) {
    Object v = at(object, path);
    return v == null ? null : String.valueOf(v);
  }

  static long number(Object object, String path) {
    return at(object, path) instanceof Number n ? n.longValue() : 0;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Object object, String path) {
    return at(object, path) instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object object, String path) {
    return at(object, path) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
