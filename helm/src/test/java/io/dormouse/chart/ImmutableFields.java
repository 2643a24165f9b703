package io.dormouse.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code helm upgrade} from one rendering to the next would be refused for, or would break
 * serving with: a field the API server does not let an update change, or an object the upgrade
 * would delete. Helm patches each object that exists in both renderings and deletes the ones the
 * new rendering no longer has.
 */
final class ImmutableFields {

  /** Fields an update may not change, by kind (JSON pointers into the object). */
  private static final Map<String, List<String>> IMMUTABLE =
      Map.ofEntries(
          Map.entry("Deployment", List.of("/spec/selector")),
          Map.entry("ReplicaSet", List.of("/spec/selector")),
          Map.entry("DaemonSet", List.of("/spec/selector")),
          Map.entry(
              "StatefulSet",
              List.of(
                  "/spec/selector",
                  "/spec/serviceName",
                  "/spec/podManagementPolicy",
                  "/spec/volumeClaimTemplates")),
          Map.entry("Job", List.of("/spec/selector", "/spec/template", "/spec/completionMode")),
          // type is mutable for the API server, but a changed type re-exposes (or un-exposes)
          // the Service and drops its clusterIP: never in an upgrade.
          Map.entry(
              "Service",
              List.of("/spec/type", "/spec/clusterIP", "/spec/clusterIPs", "/spec/ipFamilies")),
          Map.entry(
              "PersistentVolumeClaim",
              List.of(
                  "/spec/accessModes",
                  "/spec/storageClassName",
                  "/spec/volumeName",
                  "/spec/volumeMode",
                  "/spec/selector",
                  "/spec/dataSource")),
          Map.entry("RoleBinding", List.of("/roleRef")),
          Map.entry("ClusterRoleBinding", List.of("/roleRef")),
          Map.entry("CustomResourceDefinition", List.of("/spec/scope", "/spec/group")));

  /** Objects whose deletion by an upgrade stops serving or loses data. */
  private static final Set<String> MUST_SURVIVE =
      Set.of(
          "Deployment",
          "StatefulSet",
          "DaemonSet",
          "Service",
          "PersistentVolumeClaim",
          "CustomResourceDefinition");

  private ImmutableFields() {}

  /** Every reason the upgrade from {@code before} to {@code after} would fail or stop serving. */
  static List<String> violations(List<JsonNode> before, List<JsonNode> after) {
    Map<String, JsonNode> next = byId(after);
    List<String> found = new ArrayList<>();
    byId(before)
        .forEach(
            (id, old) -> {
              JsonNode now = next.get(id);
              String kind = old.path("kind").asText();
              if (now == null) {
                if (MUST_SURVIVE.contains(kind)) {
                  found.add(id + ": the upgrade would delete it");
                }
                return;
              }
              for (String field : IMMUTABLE.getOrDefault(kind, List.of())) {
                if (changes(kind, old, now, field)) {
                  found.add(
                      id
                          + ": "
                          + field
                          + " is immutable: "
                          + old.at(field)
                          + " → "
                          + now.at(field));
                }
              }
              if (kind.equals("CustomResourceDefinition")) {
                found.addAll(droppedVersions(id, old, now));
              }
              if (old.path("immutable").asBoolean()) {
                for (String field : List.of("/data", "/binaryData", "/immutable")) {
                  if (!old.at(field).equals(now.at(field))) {
                    found.add(id + ": " + field + " of an immutable " + kind + " changed");
                  }
                }
              }
            });
    return found;
  }

  private static boolean changes(String kind, JsonNode old, JsonNode now, String field) {
    // A Job run as a Helm hook is deleted and created again, never patched.
    if (kind.equals("Job") && old.at("/metadata/annotations").has("helm.sh/hook")) {
      return false;
    }
    return !normalized(old.at(field)).equals(normalized(now.at(field)));
  }

  /** A missing field and an explicit null read alike. */
  private static JsonNode normalized(JsonNode node) {
    return node.isNull() ? MissingNode.getInstance() : node;
  }

  /**
   * A CRD version that objects may be stored in cannot go: the API server refuses a CRD that drops
   * a version listed in its status.storedVersions, and clients of that version lose it.
   */
  private static List<String> droppedVersions(String id, JsonNode old, JsonNode now) {
    Set<String> served = new HashSet<>();
    now.at("/spec/versions")
        .forEach(
            v -> {
              if (v.path("served").asBoolean()) {
                served.add(v.path("name").asText());
              }
            });
    List<String> dropped = new ArrayList<>();
    old.at("/spec/versions")
        .forEach(
            v -> {
              String name = v.path("name").asText();
              if (v.path("served").asBoolean() && !served.contains(name)) {
                dropped.add(id + ": version " + name + " is no longer served");
              }
            });
    return dropped;
  }

  /** Helm's identity of an object: kind, namespace and name (API version may move on). */
  static String id(JsonNode object) {
    String namespace = object.at("/metadata/namespace").asText();
    return object.path("kind").asText()
        + " "
        + (namespace.isEmpty() ? "" : namespace + "/")
        + object.at("/metadata/name").asText();
  }

  private static Map<String, JsonNode> byId(List<JsonNode> objects) {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    objects.forEach(o -> byId.put(id(o), o));
    return byId;
  }
}
