package io.dormouse.api.validation;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One served version of a CustomResourceDefinition: which objects it governs (apiVersion and kind)
 * and the root of its structural schema.
 */
record CrdSchema(String group, String version, String kind, SchemaNode root) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  String apiVersion() {
    return group + "/" + version;
  }

  /** {@code Kind.group}, as the API server names the resource in its errors. */
  String qualifiedKind() {
    return kind + "." + group;
  }

  /** Every version of the CRD on the class path at {@code resource}. */
  static List<CrdSchema> fromClasspath(String resource, CelRuleCompiler rules) {
    try (InputStream in = CrdSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "CRD " + resource + " is not on the class path; is dormouse-crds built?");
      }
      return fromYaml(YAML.readValue(in, new TypeReference<Map<String, Object>>() {}), rules);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRD " + resource, e);
    }
  }

  /** Every version of a CRD given as a decoded YAML/JSON document. */
  static List<CrdSchema> fromYaml(Map<?, ?> crd, CelRuleCompiler rules) {
    Map<?, ?> spec = (Map<?, ?>) crd.get("spec");
    String group = (String) spec.get("group");
    String kind = (String) ((Map<?, ?>) spec.get("names")).get("kind");
    List<CrdSchema> out = new ArrayList<>();
    for (Object v : (List<?>) spec.get("versions")) {
      Map<?, ?> version = (Map<?, ?>) v;
      Map<?, ?> schema = (Map<?, ?>) ((Map<?, ?>) version.get("schema")).get("openAPIV3Schema");
      out.add(
          new CrdSchema(
              group, (String) version.get("name"), kind, SchemaNode.parse(schema, rules, "")));
    }
    return out;
  }
}
