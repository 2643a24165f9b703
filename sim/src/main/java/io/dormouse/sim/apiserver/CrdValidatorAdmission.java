package io.dormouse.sim.apiserver;

import io.dormouse.api.validation.CrdValidator;
import io.dormouse.api.validation.FieldError;
import io.dormouse.api.validation.ValidationResult;
import java.util.Map;

/** Admission by the CRDs' own schema and CEL rules, through the validator the crds module ships. */
public final class CrdValidatorAdmission implements CustomResourceAdmission {

  private final CrdValidator validator;

  public CrdValidatorAdmission(CrdValidator validator) {
    this.validator = validator;
  }

  /** For InferenceEndpoint and GpuTier. */
  public static CrdValidatorAdmission forDormouse() {
    return new CrdValidatorAdmission(CrdValidator.forDormouse());
  }

  @Override
  public Decision admit(Map<String, Object> object, boolean create) {
    Map<String, Object> stored = create ? validator.withDefaults(object) : object;
    ValidationResult result = validator.validate(stored);
    if (result.valid()) {
      return Decision.allow(stored);
    }
    return Decision.refuse(
        result.apiServerMessage(),
        result.errors().stream().map(CrdValidatorAdmission::cause).toList());
  }

  private static Cause cause(FieldError e) {
    return new Cause(e.path(), e.message());
  }
}
