package io.dormouse.sim.apiserver;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A resource path of the Kubernetes API, read as the API server reads it: {@code
 * /api/v1/namespaces/team-a/pods/p/log} is group "", version v1, namespace team-a, resource pods,
 * name p, subresource log.
 *
 * @param namespace null for cluster-wide paths
 * @param name null for collections
 * @param subresource null unless the path goes past the name
 */
record ApiPath(
    String group,
    String version,
    String namespace,
    String resource,
    String name,
    String subresource) {

  /**
   * Reads {@code path} (no query), or empty when it is not a resource path at all.
   *
   * @param namespaced whether a resource of this group-version is namespaced; decides whether
   *     {@code /api/v1/namespaces/x/y} is resource y in namespace x or subresource y of namespace x
   */
  static Optional<ApiPath> parse(String path, Predicate<String[]> namespaced) {
    List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    int i;
    String group;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      i = 1;
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      i = 2;
    } else {
      return Optional.empty();
    }
    String version = parts.get(i++);
    List<String> rest = parts.subList(i, parts.size());
    if (rest.size() >= 3
        && rest.get(0).equals("namespaces")
        && namespaced.test(new String[] {group, version, rest.get(2)})) {
      return of(group, version, rest.get(1), rest.subList(2, rest.size()));
    }
    return of(group, version, null, rest);
  }

  private static Optional<ApiPath> of(
      String group, String version, String namespace, List<String> rest) {
    if (rest.isEmpty() || rest.size() > 3) {
      return Optional.empty();
    }
    return Optional.of(
        new ApiPath(
            group,
            version,
            namespace,
            rest.get(0),
            rest.size() > 1 ? rest.get(1) : null,
            rest.size() > 2 ? rest.get(2) : null));
  }

  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code pods} or {@code inferenceendpoints.dormouse.io}, as the API server names it. */
  String qualifiedResource() {
    return group.isEmpty() ? resource : resource + "." + group;
  }

  /** The path of the object itself, without its subresource. */
  String objectPath() {
    StringBuilder p = new StringBuilder(group.isEmpty() ? "/api/" : "/apis/" + group + "/");
    p.append(version);
    if (namespace != null) {
      p.append("/namespaces/").append(namespace);
    }
    p.append('/').append(resource);
    if (name != null) {
      p.append('/').append(name);
    }
    return p.toString();
  }
}
