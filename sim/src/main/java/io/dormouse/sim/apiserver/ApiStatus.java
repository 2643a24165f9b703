package io.dormouse.sim.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Kubernetes Status bodies the embedded API server answers errors with. */
final class ApiStatus {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiStatus() {}

  /** 422 Invalid, as the API server refuses an object that fails its CRD's validation. */
  static String invalid(
      String group,
      String kind,
      String name,
      String message,
      List<CustomResourceAdmission.Cause> causes) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("name", name);
    details.put("group", group);
    details.put("kind", kind);
    details.put(
        "causes",
        causes.stream()
            .map(
                c -> {
                  Map<String, Object> cause = new LinkedHashMap<>();
                  cause.put("reason", "FieldValueInvalid");
                  cause.put("message", c.message());
                  cause.put("field", c.field());
                  return cause;
                })
            .toList());
    return status(422, "Invalid", message, details);
  }

  static String status(int code, String reason, String message, Map<String, Object> details) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.put("metadata", Map.of());
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    if (details != null) {
      status.put("details", details);
    }
    status.put("code", code);
    try {
      return JSON.writeValueAsString(status);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a Status always serializes", e);
    }
  }
}
