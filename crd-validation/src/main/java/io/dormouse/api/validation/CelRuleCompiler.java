package io.dormouse.api.validation;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelException;
import dev.cel.common.CelOptions;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import java.util.Map;

/**
 * Compiles {@code x-kubernetes-validations} rules in an environment close to the API server's:
 * {@code self} bound to the value, the standard macros (has, all, exists, exists_one, map, filter),
 * and numeric comparisons across int and double, as in {@code self > 0} on a number.
 */
final class CelRuleCompiler {

  private final Cel cel =
      CelFactory.standardCelBuilder()
          .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true).build())
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();

  /**
   * @throws IllegalArgumentException when the rule does not compile: the CRD itself is broken
   */
  CelRule compile(Map<?, ?> json, String path) {
    String rule = (String) json.get("rule");
    try {
      return new CelRule(
          rule,
          (String) json.get("message"),
          (String) json.get("fieldPath"),
          cel.createProgram(cel.compile(rule).getAst()));
    } catch (CelException e) {
      throw new IllegalArgumentException(
          "x-kubernetes-validations rule at "
              + (path.isEmpty() ? "<root>" : path)
              + " does not compile: "
              + rule
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
