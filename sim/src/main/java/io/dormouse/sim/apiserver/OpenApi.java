package io.dormouse.sim.apiserver;

import io.dormouse.sim.apiserver.Discovery.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAPI v3 documents kubectl reads: an index of group-versions ({@code /openapi/v3}), and per
 * group-version ({@code /openapi/v3/apis/dormouse.io/v1alpha1}) a path per resource and the schema
 * of each kind in {@code components.schemas}. The Dormouse kinds' schemas are their CRDs', with the
 * field descriptions {@code kubectl explain} prints; built-in kinds' come from {@link
 * BuiltInSchemas}. Each resource path takes {@code fieldValidation}, which tells kubectl to leave
 * validation to the server, where the CRDs' rules run.
 */
final class OpenApi {

  private static final String PREFIX = "#/components/schemas/";

  private OpenApi() {}

  /**
   * The document at {@code path} (which starts with {@code /openapi/v3}), or empty when there is
   * none.
   */
  static Optional<String> answer(String path, List<Map<String, Object>> crds) {
    List<Resource> resources = Discovery.resources(crds);
    String groupVersionPath = path.replaceAll("^/openapi/v3/?|/+$", "");
    if (groupVersionPath.isEmpty()) {
      Map<String, Object> paths = new LinkedHashMap<>();
      resources.stream()
          .map(OpenApi::apiPath)
          .distinct()
          .forEach(
              p -> paths.put(p, Map.of("serverRelativeURL", "/openapi/v3/" + p + "?hash=sim")));
      return Optional.of(Json.write(Map.of("paths", paths)));
    }
    List<Resource> inGroupVersion =
        resources.stream().filter(r -> apiPath(r).equals(groupVersionPath)).toList();
    if (inGroupVersion.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> paths = new LinkedHashMap<>();
    Map<String, Object> schemas = new LinkedHashMap<>();
    BuiltInSchemas.addObjectMeta(schemas);
    for (Resource r : inGroupVersion) {
      Map<String, Object> gvk = gvk(r);
      Map<String, Object> patch = new LinkedHashMap<>();
      patch.put("x-kubernetes-group-version-kind", gvk);
      patch.put(
          "parameters",
          List.of(
              Map.of(
                  "name", "fieldValidation", "in", "query", "schema", Map.of("type", "string"))));
      patch.put("responses", Map.of());
      String scope = r.namespaced() ? "/namespaces/{namespace}/" : "/";
      paths.put("/" + groupVersionPath + scope + r.plural() + "/{name}", Map.of("patch", patch));
      crdSchema(r, crds)
          .ifPresentOrElse(
              s -> schemas.put(schemaName(r), s),
              () -> BuiltInSchemas.addKind(r.group(), r.version(), r.kind(), schemas));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.0.0");
    doc.put("info", Map.of("title", "Dormouse sim", "version", "v1"));
    doc.put("paths", paths);
    doc.put("components", Map.of("schemas", schemas));
    return Optional.of(Json.write(doc));
  }

  private static String apiPath(Resource r) {
    return r.group().isEmpty() ? "api/" + r.version() : "apis/" + r.groupVersion();
  }

  private static Map<String, Object> gvk(Resource r) {
    Map<String, Object> gvk = new LinkedHashMap<>();
    gvk.put("group", r.group());
    gvk.put("kind", r.kind());
    gvk.put("version", r.version());
    return gvk;
  }

  /**
   * {@code io.dormouse.v1alpha1.InferenceEndpoint}: the group reversed, as the API server names it.
   */
  private static String schemaName(Resource r) {
    List<String> parts = new java.util.ArrayList<>(List.of(r.group().split("\\.")));
    java.util.Collections.reverse(parts);
    return String.join(".", parts) + "." + r.version() + "." + r.kind();
  }

  /**
   * The CRD's schema of this version, with the metadata, apiVersion and kind the API server adds,
   * or empty for a built-in kind.
   */
  @SuppressWarnings("unchecked")
  private static Optional<Map<String, Object>> crdSchema(
      Resource r, List<Map<String, Object>> crds) {
    for (Map<String, Object> crd : crds) {
      if (!r.group().equals(Json.text(crd, "spec.group"))
          || !r.plural().equals(Json.text(crd, "spec.names.plural"))) {
        continue;
      }
      for (Map<String, Object> v : Json.list(crd, "spec.versions")) {
        if (!r.version().equals(v.get("name"))) {
          continue;
        }
        Map<String, Object> schema = new LinkedHashMap<>(Json.map(v, "schema.openAPIV3Schema"));
        Map<String, Object> properties =
            new LinkedHashMap<>((Map<String, Object>) schema.getOrDefault("properties", Map.of()));
        properties.put(
            "apiVersion",
            Map.of(
                "type",
                "string",
                "description",
                "APIVersion defines the versioned schema of this representation of an object."));
        properties.put(
            "kind",
            Map.of(
                "type",
                "string",
                "description",
                "Kind is a string value representing the REST resource this object represents."));
        properties.put(
            "metadata",
            Map.of(
                "description",
                "Standard object's metadata.",
                "allOf",
                List.of(Map.of("$ref", PREFIX + BuiltInSchemas.objectMetaName()))));
        schema.put("properties", properties);
        schema.put("x-kubernetes-group-version-kind", List.of(gvk(r)));
        return Optional.of(schema);
      }
    }
    return Optional.empty();
  }
}
