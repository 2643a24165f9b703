package io.dormouse.sim.apiserver;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The defaults the API server fills into built-in kinds on create, where the sim's users see them.
 */
final class BuiltInDefaults {

  private BuiltInDefaults() {}

  static Map<String, Object> apply(String kind, Map<String, Object> object) {
    Map<String, Object> out = new LinkedHashMap<>(object);
    switch (kind) {
      case "Secret" -> out.putIfAbsent("type", "Opaque");
      case "Namespace" -> {
        Map<String, Object> status = new LinkedHashMap<>(Json.map(out, "status"));
        status.putIfAbsent("phase", "Active");
        out.put("status", status);
        Map<String, Object> metadata = new LinkedHashMap<>(Json.map(out, "metadata"));
        Map<String, Object> labels = new LinkedHashMap<>(Json.map(metadata, "labels"));
        labels.putIfAbsent("kubernetes.io/metadata.name", metadata.get("name"));
        metadata.put("labels", labels);
        out.put("metadata", metadata);
      }
      case "PersistentVolumeClaim" -> {
        Map<String, Object> status = new LinkedHashMap<>(Json.map(out, "status"));
        status.putIfAbsent("phase", "Pending");
        out.put("status", status);
      }
      default -> {
        // nothing to fill in
      }
    }
    return out;
  }
}
