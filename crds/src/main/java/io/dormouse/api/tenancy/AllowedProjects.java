package io.dormouse.api.tenancy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which projects the endpoints of one namespace may serve, as the platform team declared it in the
 * namespace's {@code dormouse.io/allowed-projects} annotation ({@code "search,support-bot"}).
 * Without the annotation a namespace is unrestricted, unless the cluster requires every namespace
 * to declare its projects: then it may serve none.
 *
 * @param restricted whether the endpoints' access lists are narrowed at all
 * @param declared whether the namespace carries the annotation
 * @param projects what a restricted namespace may serve (empty: nothing)
 */
public record AllowedProjects(boolean restricted, boolean declared, Set<String> projects) {

  /** A namespace that says nothing, in a cluster that does not require it to. */
  public static final AllowedProjects UNRESTRICTED = new AllowedProjects(false, false, Set.of());

  public AllowedProjects {
    projects = Set.copyOf(projects);
  }

  /**
   * @param annotation the namespace's {@code dormouse.io/allowed-projects} value, or null when it
   *     has none (or is not known)
   * @param requireDeclared whether the cluster requires namespaces to declare their projects
   */
  public static AllowedProjects of(String annotation, boolean requireDeclared) {
    if (annotation == null) {
      return requireDeclared ? new AllowedProjects(true, false, Set.of()) : UNRESTRICTED;
    }
    Set<String> projects = new TreeSet<>();
    Arrays.stream(annotation.split(","))
        .map(String::strip)
        .filter(p -> !p.isEmpty())
        .forEach(projects::add);
    return new AllowedProjects(true, true, projects);
  }

  /** What an endpoint asking for {@code isPublic} and {@code asked} projects may serve here. */
  public Grant grant(boolean isPublic, Collection<String> asked) {
    if (!restricted) {
      return new Grant(isPublic, Set.copyOf(asked), false, List.of());
    }
    Set<String> granted = new LinkedHashSet<>();
    List<String> refused = new ArrayList<>();
    for (String project : asked) {
      if (projects.contains(project)) {
        granted.add(project);
      } else if (!refused.contains(project)) {
        refused.add(project);
      }
    }
    return new Grant(false, granted, isPublic, refused);
  }

  /** The declared projects, sorted and comma-separated, for messages. */
  public String describe() {
    return String.join(",", new TreeSet<>(projects));
  }
}
