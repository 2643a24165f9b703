package io.dormouse.api.validation;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;
import java.util.Optional;

/**
 * One compiled {@code x-kubernetes-validations} rule: its program, the message it reports and the
 * optional {@code fieldPath} that moves the error to a child field.
 */
record CelRule(String rule, String message, String fieldPath, CelRuntime.Program program) {

  /**
   * Evaluates the rule with {@code self} bound to the value.
   *
   * @return empty when the rule holds, else the refusal's detail
   */
  Optional<String> check(Object self) {
    try {
      Object result = program.eval(Map.of("self", self));
      return Boolean.TRUE.equals(result) ? Optional.empty() : Optional.of(failureMessage());
    } catch (CelEvaluationException e) {
      // The API server's wording for "no such key", overflow and the like.
      return Optional.of(e.getMessage() + " evaluating rule: " + failureMessage());
    }
  }

  /** The path the error is reported at: the rule's node, or the child its fieldPath names. */
  String errorPath(String nodePath) {
    if (fieldPath == null || fieldPath.isEmpty()) {
      return nodePath;
    }
    String suffix = fieldPath.startsWith(".") ? fieldPath.substring(1) : fieldPath;
    return nodePath.isEmpty() ? suffix : nodePath + "." + suffix;
  }

  private String failureMessage() {
    return message == null || message.isBlank() ? "failed rule: " + rule : message;
  }
}
