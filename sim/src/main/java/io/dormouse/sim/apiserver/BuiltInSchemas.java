package io.dormouse.sim.apiserver;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenAPI v3 schemas of the built-in kinds, read from the Fabric8 model classes the sim already
 * carries: every field with its JSON type, so that {@code kubectl explain deployment.spec} lists
 * the fields. Fabric8's classes keep no descriptions, so built-in fields print none.
 */
final class BuiltInSchemas {

  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";
  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
  private static final ObjectMapper MAPPER =
      io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();
  private static final Map<String, Map<String, Object>> CACHE = new ConcurrentHashMap<>();

  private BuiltInSchemas() {}

  /** The name ObjectMeta's schema goes by in every document. */
  static String objectMetaName() {
    return name(io.fabric8.kubernetes.api.model.ObjectMeta.class);
  }

  /**
   * Adds the schema of the kind {@code group}/{@code version}/{@code kind} and of everything it
   * refers to into {@code schemas}; false when the sim has no model class for it.
   */
  static boolean addKind(String group, String version, String kind, Map<String, Object> schemas) {
    String apiVersion = group.isEmpty() ? version : group + "/" + version;
    Class<? extends KubernetesResource> type =
        KUBERNETES.getRegisteredKubernetesResource(apiVersion, kind);
    if (type == null) {
      return false;
    }
    schemas.putAll(closure(type));
    Map<String, Object> schema = new LinkedHashMap<>(castMap(schemas.get(name(type))));
    Map<String, Object> gvk = new LinkedHashMap<>();
    gvk.put("group", group);
    gvk.put("kind", kind);
    gvk.put("version", version);
    schema.put("x-kubernetes-group-version-kind", List.of(gvk));
    schemas.put(name(type), schema);
    return true;
  }

  /** Adds ObjectMeta and what it refers to. */
  static void addObjectMeta(Map<String, Object> schemas) {
    schemas.putAll(closure(io.fabric8.kubernetes.api.model.ObjectMeta.class));
  }

  /** The schemas of {@code type} and of every type its fields refer to, by name; cached. */
  private static Map<String, Object> closure(Class<?> type) {
    return CACHE.computeIfAbsent(
        type.getName(),
        k -> {
          Map<String, Object> schemas = new LinkedHashMap<>();
          add(type, schemas);
          return Map.copyOf(schemas);
        });
  }

  private static String add(Class<?> type, Map<String, Object> schemas) {
    String name = name(type);
    if (schemas.containsKey(name)) {
      return name;
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    schemas.put(name, schema); // before the fields, so that recursive types end
    BeanDescription bean = MAPPER.getSerializationConfig().introspect(MAPPER.constructType(type));
    for (BeanPropertyDefinition p : bean.findProperties()) {
      if (p.getPrimaryType() == null || p.getName().equals("additionalProperties")) {
        continue;
      }
      properties.put(p.getName(), property(p.getPrimaryType(), schemas));
    }
    return name;
  }

  private static Map<String, Object> property(JavaType type, Map<String, Object> schemas) {
    Class<?> raw = type.getRawClass();
    if (raw == String.class) {
      return Map.of("type", "string");
    }
    if (raw == IntOrString.class) {
      return Map.of(
          "type", "string", "format", "int-or-string", "x-kubernetes-int-or-string", true);
    }
    if (raw == Quantity.class) {
      return Map.of("type", "string", "x-kubernetes-int-or-string", true);
    }
    if (raw == Integer.class || raw == int.class) {
      return Map.of("type", "integer", "format", "int32");
    }
    if (raw == Long.class || raw == long.class) {
      return Map.of("type", "integer", "format", "int64");
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return Map.of("type", "boolean");
    }
    if (raw == Double.class || raw == Float.class || raw == double.class || raw == float.class) {
      return Map.of("type", "number", "format", "double");
    }
    if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
      JavaType item = type.getContentType();
      return Map.of("type", "array", "items", item == null ? Map.of() : property(item, schemas));
    }
    if (Map.class.isAssignableFrom(raw)) {
      JavaType value = type.getContentType();
      return Map.of(
          "type",
          "object",
          "additionalProperties",
          value == null || value.getRawClass() == Object.class
              ? Map.of("type", "object")
              : property(value, schemas));
    }
    if (raw.isEnum()) {
      return Map.of("type", "string");
    }
    if (raw.getName().startsWith(MODEL_PACKAGE) && !raw.isInterface()) {
      return Map.of("$ref", "#/components/schemas/" + add(raw, schemas));
    }
    return Map.of("type", "object", "x-kubernetes-preserve-unknown-fields", true);
  }

  /**
   * {@code io.fabric8.kubernetes.api.model.apps.DeploymentSpec} → {@code
   * io.k8s.api.apps.DeploymentSpec}.
   */
  private static String name(Class<?> type) {
    String pkg = type.getPackageName();
    String sub =
        pkg.length() > MODEL_PACKAGE.length() ? pkg.substring(MODEL_PACKAGE.length() + 1) : "core";
    return "io.k8s.api." + sub + "." + type.getSimpleName();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return Optional.ofNullable((Map<String, Object>) o).orElse(Map.of());
  }
}
