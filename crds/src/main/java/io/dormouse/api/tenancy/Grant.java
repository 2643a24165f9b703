package io.dormouse.api.tenancy;

import java.util.List;
import java.util.Set;

/**
 * The access an endpoint gets: what its spec asks for, narrowed by its namespace's {@link
 * AllowedProjects}.
 *
 * @param isPublic any project's key may call it
 * @param projects the projects whose keys may call it
 * @param publicRefused the spec asks for {@code public: true} and the namespace does not allow it
 * @param refusedProjects projects the spec lists that the namespace does not allow, in spec order
 */
public record Grant(
    boolean isPublic, Set<String> projects, boolean publicRefused, List<String> refusedProjects) {

  public Grant {
    projects = Set.copyOf(projects);
    refusedProjects = List.copyOf(refusedProjects);
  }

  public boolean allows(String project) {
    return isPublic || projects.contains(project);
  }

  /** Whether any part of the spec's access was refused. */
  public boolean refusesAny() {
    return publicRefused || !refusedProjects.isEmpty();
  }

  /** Whether no key at all may call the endpoint. */
  public boolean allowsNone() {
    return !isPublic && projects.isEmpty();
  }
}
