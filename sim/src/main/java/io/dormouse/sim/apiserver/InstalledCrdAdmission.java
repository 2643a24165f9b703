package io.dormouse.sim.apiserver;

import io.dormouse.api.validation.CrdValidator;
import io.dormouse.api.validation.FieldError;
import io.dormouse.api.validation.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Admission by the CRDs the API server has installed now, not the ones this build generated: a
 * world started on a previous release's CRDs validates by those until they are replaced, as a
 * cluster does during an upgrade. Fields the installed schema does not declare are pruned, as the
 * API server does for clients that do not ask for strict field validation (Fabric8's default): a
 * newer operator's status fields are dropped by older CRDs, never refused. Everything else the
 * schema or its CEL rules reject is refused.
 */
public final class InstalledCrdAdmission implements CustomResourceAdmission {

  private static final Pattern SEGMENT = Pattern.compile("\\.?([^.\\[\\]]+)|\\[([^\\]]*)]");

  private volatile Built built = new Built(List.of(), CrdValidator.of(List.of()));

  private record Built(List<String> versions, CrdValidator validator) {}

  @Override
  public Decision admit(Map<String, Object> object, boolean create) {
    throw new IllegalStateException("admission by the installed CRDs needs them");
  }

  @Override
  public Decision admit(
      Map<String, Object> object, boolean create, List<Map<String, Object>> installed) {
    CrdValidator validator = validatorFor(installed);
    Map<String, Object> stored = create ? validator.withDefaults(object) : copy(object);
    ValidationResult result = validator.validate(stored);
    List<FieldError> unknown =
        result.errors().stream()
            .filter(e -> e.reason() == FieldError.Reason.UNKNOWN_FIELD)
            .toList();
    if (!unknown.isEmpty()) {
      unknown.forEach(e -> prune(stored, e.path()));
      result = validator.validate(stored);
    }
    if (result.valid()) {
      return Decision.allow(stored);
    }
    return Decision.refuse(
        result.apiServerMessage(),
        result.errors().stream().map(e -> new Cause(e.path(), e.message())).toList());
  }

  /**
   * The validator of these CRDs, rebuilt (its CEL rules compiled) only when one of them changed.
   */
  private CrdValidator validatorFor(List<Map<String, Object>> all) {
    // Only Dormouse's kinds are admitted here; other CRDs (Karpenter's) use CEL this validator
    // does not compile.
    List<Map<String, Object>> installed =
        all.stream().filter(c -> "dormouse.io".equals(Json.text(c, ".spec.group"))).toList();
    List<String> versions = installed.stream().map(InstalledCrdAdmission::version).toList();
    Built now = built;
    if (!now.versions().equals(versions)) {
      synchronized (this) {
        now = built;
        if (!now.versions().equals(versions)) {
          now = new Built(versions, CrdValidator.of(installed));
          built = now;
        }
      }
    }
    return now.validator();
  }

  private static String version(Map<String, Object> crd) {
    return Json.text(crd, "metadata.name") + "@" + Json.text(crd, "metadata.resourceVersion");
  }

  private static Map<String, Object> copy(Map<String, Object> object) {
    // withDefaults of an update would default fields the client left out; a plain deep copy is
    // what the prune below may change.
    @SuppressWarnings("unchecked")
    Map<String, Object> copy = (Map<String, Object>) Json.MAPPER.convertValue(object, Map.class);
    return copy;
  }

  /** Removes the field at a validator path ({@code status.usage}, {@code spec.tiers[1].x}). */
  static void prune(Map<String, Object> object, String path) {
    List<String> segments = new ArrayList<>();
    Matcher m = SEGMENT.matcher(path);
    while (m.find()) {
      segments.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    if (segments.isEmpty()) {
      return;
    }
    Object at = object;
    for (String segment : segments.subList(0, segments.size() - 1)) {
      at = step(at, segment);
      if (at == null) {
        return;
      }
    }
    if (at instanceof Map<?, ?> map) {
      map.remove(segments.get(segments.size() - 1));
    }
  }

  private static Object step(Object at, String segment) {
    if (at instanceof Map<?, ?> map) {
      return map.get(segment);
    }
    if (at instanceof List<?> list) {
      try {
        int i = Integer.parseInt(segment);
        return i >= 0 && i < list.size() ? list.get(i) : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
