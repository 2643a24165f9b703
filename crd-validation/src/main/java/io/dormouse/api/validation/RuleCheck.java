package io.dormouse.api.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Evaluates the CEL rules found by a schema walk, each with {@code self} bound to its value. */
final class RuleCheck {

  private RuleCheck() {}

  static List<FieldError> run(List<SchemaWalk.RuleSite> sites) {
    List<FieldError> errors = new ArrayList<>();
    for (SchemaWalk.RuleSite site : sites) {
      Object self = CelValues.of(visibleValue(site), site.schema());
      for (CelRule rule : site.schema().rules()) {
        rule.check(self)
            .ifPresent(
                detail ->
                    errors.add(
                        Messages.rule(rule.errorPath(site.path()), site.schema().type(), detail)));
      }
    }
    return errors;
  }

  /** At the root a rule sees apiVersion, kind, the name fields of metadata, spec and status. */
  private static Object visibleValue(SchemaWalk.RuleSite site) {
    if (!site.path().isEmpty() || !(site.value() instanceof Map<?, ?> root)) {
      return site.value();
    }
    Map<Object, Object> visible = new LinkedHashMap<>(root);
    visible.put("metadata", ObjectMetaRules.visibleToRules(root.get("metadata")));
    return visible;
  }
}
