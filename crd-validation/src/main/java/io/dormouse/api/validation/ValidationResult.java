package io.dormouse.api.validation;

import java.util.List;
import java.util.stream.Collectors;

/** The outcome of validating one object: valid, or the list of refusals. */
public final class ValidationResult {

  private final String qualifiedKind;
  private final String name;
  private final List<FieldError> errors;

  ValidationResult(String qualifiedKind, String name, List<FieldError> errors) {
    this.qualifiedKind = qualifiedKind;
    this.name = name;
    this.errors = List.copyOf(errors);
  }

  static ValidationResult notOurs() {
    return new ValidationResult("", "", List.of());
  }

  public boolean valid() {
    return errors.isEmpty();
  }

  public List<FieldError> errors() {
    return errors;
  }

  /**
   * The message an API server answers with (HTTP 422), e.g. {@code InferenceEndpoint.dormouse.io
   * "chat" is invalid: spec.replicas: Invalid value: 0: ...}; several errors are bracketed and
   * comma-separated. Empty when valid.
   */
  public String apiServerMessage() {
    if (errors.isEmpty()) {
      return "";
    }
    String listed =
        errors.size() == 1
            ? errors.get(0).toString()
            : errors.stream().map(FieldError::toString).collect(Collectors.joining(", ", "[", "]"));
    return qualifiedKind + " \"" + name + "\" is invalid: " + listed;
  }

  @Override
  public String toString() {
    return valid() ? "valid" : apiServerMessage();
  }
}
