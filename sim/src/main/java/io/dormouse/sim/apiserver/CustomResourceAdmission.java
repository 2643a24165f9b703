package io.dormouse.sim.apiserver;

import java.util.List;
import java.util.Map;

/**
 * What the API server does with a Dormouse object before it stores it: apply the CRD's defaults on
 * create, and refuse what the schema or its CEL rules reject, with the API server's message.
 */
public interface CustomResourceAdmission {

  /**
   * @param object the whole object as it would be stored
   * @param create true on create (defaults apply), false on update
   */
  Decision admit(Map<String, Object> object, boolean create);

  /**
   * As {@link #admit(Map, boolean)}, told the CRDs the API server has installed now (an admission
   * that follows them, {@link InstalledCrdAdmission}, overrides this).
   */
  default Decision admit(
      Map<String, Object> object, boolean create, List<Map<String, Object>> installedCrds) {
    return admit(object, create);
  }

  /** Stores whatever it is given, as the mock server does on its own. */
  static CustomResourceAdmission acceptAll() {
    return (object, create) -> Decision.allow(object);
  }

  /** One refused field, as in a Kubernetes Status's details.causes. */
  record Cause(String field, String message) {}

  /**
   * @param object the object to store, when allowed
   * @param message the API server's "... is invalid: ..." text, when refused
   */
  record Decision(Map<String, Object> object, String message, List<Cause> causes) {

    public static Decision allow(Map<String, Object> object) {
      return new Decision(object, null, List.of());
    }

    public static Decision refuse(String message, List<Cause> causes) {
      return new Decision(null, message, List.copyOf(causes));
    }

    public boolean allowed() {
      return message == null;
    }
  }
}
