package io.dormouse.api.validation;

/**
 * One refusal, shaped like a Kubernetes {@code field.Error}: the field's path (e.g. {@code
 * spec.scaling.idleTimeout}, {@code spec.tiers[1]}) and what is wrong with it.
 *
 * @param path the offending field; empty for an error about the object as a whole
 * @param reason the kind of refusal
 * @param message the text after the path, e.g. {@code Required value} or {@code Invalid value: 0:
 *     spec.replicas in body should be greater than or equal to 1}
 */
public record FieldError(String path, Reason reason, String message) {

  /** The kinds of refusal an API server reports for a custom resource. */
  public enum Reason {
    REQUIRED,
    INVALID,
    /** A value of the wrong JSON type; the API server then skips the CEL rules. */
    TYPE_INVALID,
    NOT_SUPPORTED,
    TOO_LONG,
    TOO_MANY,
    /** A field the schema does not declare, refused as strict field validation does. */
    UNKNOWN_FIELD
  }

  /** As the API server prints it: {@code <path>: <message>}. */
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
