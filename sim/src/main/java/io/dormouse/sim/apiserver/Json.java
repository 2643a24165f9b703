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
  /**
   * A printer column's JSONPath as the API server evaluates it: fields, list indexes ({@code [0]})
   * and equality filters ({@code [?(@.type=="Ready")]}, the first match).
   */
  static Object at(Object object, String path) {
    Object current = object;
    for (String part : segments(path.replaceFirst("^\\.", ""))) {
      int bracket = part.indexOf('[');
      String field = bracket < 0 ? part : part.substring(0, bracket);
      if (!field.isEmpty()) {
        if (!(current instanceof Map<?, ?> map)) {
          return null;
        }
        current = ((Map<String, Object>) map).get(field);
      }
      while (bracket >= 0) {
        int close = part.indexOf(']', bracket);
        if (close < 0 || !(current instanceof List<?> list)) {
          return null;
        }
        current = select(list, part.substring(bracket + 1, close));
        bracket = part.indexOf('[', close);
      }
    }
    return current;
  }

  private static final java.util.regex.Pattern FILTER =
      java.util.regex.Pattern.compile("\\?\\(@\\.([\\w.-]+)\\s*==\\s*[\"']([^\"']*)[\"']\\)");

  private static Object select(List<?> list, String selector) {
    java.util.regex.Matcher filter = FILTER.matcher(selector.trim());
    if (filter.matches()) {
      for (Object item : list) {
        Object v = at(item, filter.group(1));
        if (v != null && String.valueOf(v).equals(filter.group(2))) {
          return item;
        }
      }
      return null;
    }
    try {
      int i = Integer.parseInt(selector.trim());
      return i >= 0 && i < list.size() ? list.get(i) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Splits on dots outside brackets and quotes. */
  private static List<String> segments(String path) {
    List<String> parts = new java.util.ArrayList<>();
    StringBuilder part = new StringBuilder();
    int depth = 0;
    char quote = 0;
    for (char c : path.toCharArray()) {
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      } else if (c == '.' && depth == 0) {
        parts.add(part.toString());
        part.setLength(0);
        continue;
      }
      part.append(c);
    }
    parts.add(part.toString());
    return parts;
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
