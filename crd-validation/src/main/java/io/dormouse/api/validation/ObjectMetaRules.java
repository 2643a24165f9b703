package io.dormouse.api.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The API server's own checks of a custom resource's metadata that concern validation here: a name
 * (or generateName) is required, and a name is a DNS-1123 subdomain.
 */
final class ObjectMetaRules {

  private static final int MAX_SUBDOMAIN = 253;
  private static final String SUBDOMAIN =
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
  private static final Pattern SUBDOMAIN_PATTERN = Pattern.compile(SUBDOMAIN);

  private ObjectMetaRules() {}

  static List<FieldError> check(Object metadata) {
    List<FieldError> errors = new ArrayList<>();
    Map<?, ?> meta = metadata instanceof Map<?, ?> m ? m : Map.of();
    Object name = meta.get("name");
    if (name == null || "".equals(name)) {
      if (meta.get("generateName") == null) {
        errors.add(Messages.required("metadata.name", "name or generateName is required"));
      }
      return errors;
    }
    if (!(name instanceof String s)) {
      errors.add(Messages.typeInvalid("metadata.name", "string", name));
      return errors;
    }
    if (s.length() > MAX_SUBDOMAIN) {
      errors.add(
          Messages.invalid(
              "metadata.name", s, "must be no more than " + MAX_SUBDOMAIN + " characters"));
    }
    if (!SUBDOMAIN_PATTERN.matcher(s).matches()) {
      errors.add(
          Messages.invalid(
              "metadata.name",
              s,
              "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters,"
                  + " '-' or '.', and must start and end with an alphanumeric character (e.g."
                  + " 'example.com', regex used for validation is '"
                  + SUBDOMAIN
                  + "')"));
    }
    return errors;
  }

  /** The metadata a root-level CEL rule may see: only name and generateName, as in Kubernetes. */
  static Map<String, Object> visibleToRules(Object metadata) {
    Map<String, Object> visible = new LinkedHashMap<>();
    if (metadata instanceof Map<?, ?> meta) {
      for (String key : List.of("name", "generateName")) {
        if (meta.get(key) != null) {
          visible.put(key, meta.get(key));
        }
      }
    }
    return visible;
  }
}
