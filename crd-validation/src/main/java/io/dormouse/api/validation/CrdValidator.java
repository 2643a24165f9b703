package io.dormouse.api.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies CustomResourceDefinitions to objects as a real API server does on create and update:
 * defaults, metadata name checks, the OpenAPI v3 schema (unknown fields refused, as with strict
 * field validation) and the {@code x-kubernetes-validations} CEL rules, with Kubernetes' paths and
 * messages. There is no API server in tests or in the sim; this is what stands in for it.
 *
 * <p>Immutable and thread-safe; every rule is compiled once, when the validator is built.
 */
public final class CrdValidator {

  private static final List<String> DORMOUSE_CRDS =
      List.of(
          "META-INF/fabric8/inferenceendpoints.dormouse.io-v1.yml",
          "META-INF/fabric8/gputiers.dormouse.io-v1.yml",
          "META-INF/fabric8/webhooks.dormouse.io-v1.yml");

  private final Map<String, CrdSchema> byApiVersionAndKind;

  private CrdValidator(List<CrdSchema> schemas) {
    Map<String, CrdSchema> index = new LinkedHashMap<>();
    schemas.forEach(s -> index.put(key(s.apiVersion(), s.kind()), s));
    this.byApiVersionAndKind = Map.copyOf(index);
  }

  /** A validator for InferenceEndpoint and GpuTier, from the CRDs generated into this jar. */
  public static CrdValidator forDormouse() {
    return Dormouse.INSTANCE;
  }

  /** A validator for the given CRDs, each a decoded YAML or JSON document. */
  public static CrdValidator of(List<? extends Map<?, ?>> crds) {
    CelRuleCompiler rules = new CelRuleCompiler();
    List<CrdSchema> schemas = new ArrayList<>();
    crds.forEach(crd -> schemas.addAll(CrdSchema.fromYaml(crd, rules)));
    return new CrdValidator(schemas);
  }

  /** Whether objects of this apiVersion and kind are governed by one of the CRDs. */
  public boolean knows(String apiVersion, String kind) {
    return byApiVersionAndKind.containsKey(key(apiVersion, kind));
  }

  /**
   * Validates the object after defaulting it, as the API server does. Objects of kinds it does not
   * know are not its business and come back valid.
   */
  public ValidationResult validate(Map<String, Object> object) {
    CrdSchema crd = schemaOf(object);
    if (crd == null) {
      return ValidationResult.notOurs();
    }
    Map<String, Object> defaulted = defaulted(object, crd);
    List<FieldError> errors = new ArrayList<>(ObjectMetaRules.check(defaulted.get("metadata")));
    SchemaWalk walk = SchemaWalk.ofObject(defaulted, crd.root());
    errors.addAll(walk.errors());
    if (walk.hasTypeErrors()) {
      errors.add(Messages.rulesSkipped());
    } else {
      errors.addAll(RuleCheck.run(walk.ruleSites()));
    }
    return new ValidationResult(crd.qualifiedKind(), nameOf(object), errors);
  }

  /**
   * A copy of the object with the schema's defaults applied (and nulls of non-nullable fields
   * dropped); objects of unknown kinds come back as an unchanged copy.
   */
  public Map<String, Object> withDefaults(Map<String, Object> object) {
    CrdSchema crd = schemaOf(object);
    return crd == null ? copy(object) : defaulted(object, crd);
  }

  private CrdSchema schemaOf(Map<String, Object> object) {
    Object apiVersion = object.get("apiVersion");
    Object kind = object.get("kind");
    if (!(apiVersion instanceof String) || !(kind instanceof String)) {
      return null;
    }
    return byApiVersionAndKind.get(key((String) apiVersion, (String) kind));
  }

  private static Map<String, Object> defaulted(Map<String, Object> object, CrdSchema crd) {
    Map<String, Object> copy = copy(object);
    Defaulter.apply(copy, crd.root());
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copy(Map<String, Object> object) {
    return (Map<String, Object>) JsonTree.copy(object);
  }

  private static String nameOf(Map<String, Object> object) {
    return object.get("metadata") instanceof Map<?, ?> meta && meta.get("name") instanceof String n
        ? n
        : "";
  }

  private static String key(String apiVersion, String kind) {
    return apiVersion + "/" + kind;
  }

  /** Built on first use, so that loading the class compiles nothing. */
  private static final class Dormouse {
    static final CrdValidator INSTANCE = load();

    private static CrdValidator load() {
      CelRuleCompiler rules = new CelRuleCompiler();
      List<CrdSchema> schemas = new ArrayList<>();
      DORMOUSE_CRDS.forEach(r -> schemas.addAll(CrdSchema.fromClasspath(r, rules)));
      return new CrdValidator(schemas);
    }
  }
}
