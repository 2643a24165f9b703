package io.dormouse.api.tenancy;

import java.util.Map;

/**
 * The cluster's project policy at one moment: whether namespaces must declare their projects, and
 * each namespace's {@code dormouse.io/allowed-projects} annotation. Immutable.
 *
 * @param annotations namespace name → annotation value, for namespaces that carry one
 */
public record ProjectPolicy(boolean requireDeclared, Map<String, String> annotations) {

  /** No namespace declares anything and none has to. */
  public static final ProjectPolicy OPEN = new ProjectPolicy(false, Map.of());

  public ProjectPolicy {
    annotations = Map.copyOf(annotations);
  }

  public AllowedProjects in(String namespace) {
    return AllowedProjects.of(annotations.get(namespace), requireDeclared);
  }
}
