package io.dormouse.api.validation;

import io.dormouse.api.validation.FieldError.Reason;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The wording of an API server's refusals: Kubernetes' {@code field.Error} bodies around the
 * OpenAPI validator's "in body" sentences, so that users see here what kubectl would show them.
 */
final class Messages {

  private Messages() {}

  static FieldError required(String path) {
    return new FieldError(path, Reason.REQUIRED, "Required value");
  }

  static FieldError required(String path, String detail) {
    return new FieldError(path, Reason.REQUIRED, "Required value: " + detail);
  }

  static FieldError invalid(String path, Object value, String detail) {
    return new FieldError(path, Reason.INVALID, "Invalid value: " + render(value) + ": " + detail);
  }

  static FieldError typeInvalid(String path, String expectedType, Object value) {
    String actual = JsonTree.typeOf(value);
    return new FieldError(
        path,
        Reason.TYPE_INVALID,
        "Invalid value: "
            + render(actual)
            + ": "
            + inBody(path)
            + " must be of type "
            + expectedType
            + ": "
            + render(actual));
  }

  static FieldError notSupported(String path, Object value, List<Object> supported) {
    String listed =
        supported.stream()
            .map(v -> v instanceof String s ? quote(s) : render(v))
            .collect(Collectors.joining(", "));
    return new FieldError(
        path,
        Reason.NOT_SUPPORTED,
        "Unsupported value: " + render(value) + ": supported values: " + listed);
  }

  static FieldError tooLong(String path, long maxLength) {
    return new FieldError(path, Reason.TOO_LONG, "Too long: may not be longer than " + maxLength);
  }

  static FieldError tooMany(String path, int actual, long maxItems) {
    return new FieldError(
        path,
        Reason.TOO_MANY,
        "Too many: " + actual + ": must have at most " + maxItems + " items");
  }

  static FieldError unknownField(String path) {
    return new FieldError(path, Reason.UNKNOWN_FIELD, "unknown field " + quote(path));
  }

  static FieldError pattern(String path, String value, String pattern) {
    return invalid(path, value, inBody(path) + " should match '" + pattern + "'");
  }

  static FieldError minLength(String path, String value, long min) {
    return invalid(path, value, inBody(path) + " should be at least " + min + " chars long");
  }

  static FieldError minimum(String path, Number value, double min) {
    return invalid(
        path, value, inBody(path) + " should be greater than or equal to " + render(min));
  }

  static FieldError maximum(String path, Number value, double max) {
    return invalid(path, value, inBody(path) + " should be less than or equal to " + render(max));
  }

  static FieldError minItems(String path, int actual, long min) {
    return invalid(path, actual, inBody(path) + " should have at least " + min + " items");
  }

  /** A failed x-kubernetes-validations rule: the value is shown as its schema type. */
  static FieldError rule(String path, String schemaType, String message) {
    return invalid(path, schemaType == null ? "object" : schemaType, message);
  }

  /** What the API server adds when a type error kept it from running the CEL rules. */
  static FieldError rulesSkipped() {
    return new FieldError(
        "",
        Reason.INVALID,
        "Invalid value: \"null\": some validation rules were not checked because the object was"
            + " invalid; correct the existing errors to complete validation");
  }

  private static String inBody(String path) {
    return path + " in body";
  }

  /** A value as Go's {@code %v} / {@code %q} print it in Kubernetes errors. */
  static String render(Object value) {
    if (value == null) {
      return "\"null\"";
    }
    if (value instanceof String s) {
      return quote(s);
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      BigDecimal d = new BigDecimal(value.toString()).stripTrailingZeros();
      return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      return quote(JsonTree.typeOf(value));
    }
    return quote(value.toString());
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
