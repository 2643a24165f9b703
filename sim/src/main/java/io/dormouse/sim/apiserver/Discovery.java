package io.dormouse.sim.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The discovery documents kubectl reads before it does anything ({@code /api}, {@code /apis},
 * {@code /api/v1}, {@code /apis/<group>/<version>}): the built-in resources the sim holds plus
 * every CustomResourceDefinition stored in it. The mock server serves none of these itself.
 */
final class Discovery {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** One resource of one group-version. */
  record Resource(
      String group,
      String version,
      String plural,
      String singular,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> categories,
      List<String> subresources,
      boolean builtIn) {

    String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }
  }

  /** The kinds {@code kubectl get all} shows, as the API server files them. */
  private static final java.util.Set<String> IN_ALL =
      java.util.Set.of(
          "pods", "services", "deployments", "replicasets", "statefulsets", "daemonsets");

  private static final List<Resource> BUILT_IN =
      List.of(
          core("pods", "pod", "Pod", true, List.of("po"), "status", "log"),
          core("services", "service", "Service", true, List.of("svc"), "status"),
          core("endpoints", "endpoints", "Endpoints", true, List.of("ep")),
          core("configmaps", "configmap", "ConfigMap", true, List.of("cm")),
          core("secrets", "secret", "Secret", true, List.of()),
          core("serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa")),
          core("events", "event", "Event", true, List.of("ev")),
          core("namespaces", "namespace", "Namespace", false, List.of("ns"), "status"),
          core("nodes", "node", "Node", false, List.of("no"), "status"),
          core(
              "persistentvolumeclaims",
              "persistentvolumeclaim",
              "PersistentVolumeClaim",
              true,
              List.of("pvc"),
              "status"),
          of(
              "apps",
              "deployments",
              "deployment",
              "Deployment",
              true,
              List.of("deploy"),
              "status",
              "scale"),
          of(
              "apps",
              "replicasets",
              "replicaset",
              "ReplicaSet",
              true,
              List.of("rs"),
              "status",
              "scale"),
          of(
              "apps",
              "statefulsets",
              "statefulset",
              "StatefulSet",
              true,
              List.of("sts"),
              "status",
              "scale"),
          of("apps", "daemonsets", "daemonset", "DaemonSet", true, List.of("ds"), "status"),
          of(
              "discovery.k8s.io",
              "endpointslices",
              "endpointslice",
              "EndpointSlice",
              true,
              List.of()),
          of(
              "networking.k8s.io",
              "networkpolicies",
              "networkpolicy",
              "NetworkPolicy",
              true,
              List.of("netpol")),
          of(
              "networking.k8s.io",
              "ingresses",
              "ingress",
              "Ingress",
              true,
              List.of("ing"),
              "status"),
          of("coordination.k8s.io", "leases", "lease", "Lease", true, List.of()),
          of("events.k8s.io", "events", "event", "Event", true, List.of("ev")),
          of(
              "policy",
              "poddisruptionbudgets",
              "poddisruptionbudget",
              "PodDisruptionBudget",
              true,
              List.of("pdb"),
              "status"),
          of("rbac.authorization.k8s.io", "roles", "role", "Role", true, List.of()),
          of(
              "rbac.authorization.k8s.io",
              "rolebindings",
              "rolebinding",
              "RoleBinding",
              true,
              List.of()),
          of(
              "rbac.authorization.k8s.io",
              "clusterroles",
              "clusterrole",
              "ClusterRole",
              false,
              List.of()),
          of(
              "rbac.authorization.k8s.io",
              "clusterrolebindings",
              "clusterrolebinding",
              "ClusterRoleBinding",
              false,
              List.of()),
          of(
              "apiextensions.k8s.io",
              "customresourcedefinitions",
              "customresourcedefinition",
              "CustomResourceDefinition",
              false,
              List.of("crd", "crds"),
              "status"));

  private Discovery() {}

  /**
   * The discovery document at {@code path}, or empty when the path is not a discovery path.
   *
   * @param crds the stored CustomResourceDefinitions, as JSON maps
   */
  static Optional<String> answer(String path, List<Map<String, Object>> crds) {
    List<Resource> resources = resources(crds);
    String[] parts = path.replaceAll("^/+|/+$", "").split("/");
    if (parts.length == 1 && parts[0].equals("api")) {
      return Optional.of(
          write(
              Map.of(
                  "kind",
                  "APIVersions",
                  "versions",
                  List.of("v1"),
                  "serverAddressByClientCIDRs",
                  List.of())));
    }
    if (parts.length == 1 && parts[0].equals("apis")) {
      return Optional.of(groupList(resources));
    }
    if (parts.length == 2 && parts[0].equals("api") && parts[1].equals("v1")) {
      return Optional.of(resourceList("v1", resources));
    }
    if (parts.length == 2 && parts[0].equals("apis")) {
      return groupList(resources, parts[1]);
    }
    if (parts.length == 3 && parts[0].equals("apis")) {
      String gv = parts[1] + "/" + parts[2];
      if (resources.stream().anyMatch(r -> r.groupVersion().equals(gv))) {
        return Optional.of(resourceList(gv, resources));
      }
    }
    return Optional.empty();
  }

  /** The built-in resources and those of every stored CRD. */
  static List<Resource> resources(List<Map<String, Object>> crds) {
    List<Resource> resources = new ArrayList<>(BUILT_IN);
    crds.forEach(crd -> resources.addAll(fromCrd(crd)));
    return resources;
  }

  @SuppressWarnings("unchecked")
  static List<Resource> fromCrd(Map<String, Object> crd) {
    Map<String, Object> spec = (Map<String, Object>) crd.getOrDefault("spec", Map.of());
    Map<String, Object> names = (Map<String, Object>) spec.getOrDefault("names", Map.of());
    String group = (String) spec.get("group");
    List<Resource> out = new ArrayList<>();
    for (Object v : (List<Object>) spec.getOrDefault("versions", List.of())) {
      Map<String, Object> version = (Map<String, Object>) v;
      if (Boolean.FALSE.equals(version.get("served"))) {
        continue;
      }
      Map<String, Object> sub =
          (Map<String, Object>) version.getOrDefault("subresources", Map.of());
      out.add(
          new Resource(
              group,
              (String) version.get("name"),
              (String) names.get("plural"),
              (String) names.getOrDefault("singular", ""),
              (String) names.get("kind"),
              "Namespaced".equals(spec.get("scope")),
              (List<String>) names.getOrDefault("shortNames", List.of()),
              (List<String>) names.getOrDefault("categories", List.of()),
              new ArrayList<>(sub.keySet()),
              false));
    }
    return out;
  }

  private static String groupList(List<Resource> resources) {
    List<Object> groups = new ArrayList<>();
    for (String name : groupNames(resources)) {
      groups.add(group(name, resources));
    }
    return write(Map.of("kind", "APIGroupList", "apiVersion", "v1", "groups", groups));
  }

  private static Optional<String> groupList(List<Resource> resources, String name) {
    if (!groupNames(resources).contains(name)) {
      return Optional.empty();
    }
    Map<String, Object> group = new LinkedHashMap<>(group(name, resources));
    group.put("kind", "APIGroup");
    group.put("apiVersion", "v1");
    return Optional.of(write(group));
  }

  private static Set<String> groupNames(List<Resource> resources) {
    Set<String> names = new LinkedHashSet<>();
    resources.stream().filter(r -> !r.group().isEmpty()).forEach(r -> names.add(r.group()));
    return names;
  }

  private static Map<String, Object> group(String name, List<Resource> resources) {
    List<Map<String, Object>> versions =
        resources.stream()
            .filter(r -> r.group().equals(name))
            .map(Resource::version)
            .distinct()
            .map(
                v -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("groupVersion", name + "/" + v);
                  m.put("version", v);
                  return m;
                })
            .toList();
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("name", name);
    group.put("versions", versions);
    group.put("preferredVersion", versions.get(0));
    return group;
  }

  private static String resourceList(String groupVersion, List<Resource> resources) {
    List<Object> list = new ArrayList<>();
    for (Resource r : resources) {
      if (!r.groupVersion().equals(groupVersion)) {
        continue;
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", r.plural());
      entry.put("singularName", r.singular());
      entry.put("namespaced", r.namespaced());
      entry.put("kind", r.kind());
      entry.put("verbs", VERBS);
      if (!r.shortNames().isEmpty()) {
        entry.put("shortNames", r.shortNames());
      }
      if (!r.categories().isEmpty()) {
        entry.put("categories", r.categories());
      }
      list.add(entry);
      for (String sub : r.subresources()) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", r.plural() + "/" + sub);
        s.put("singularName", "");
        s.put("namespaced", r.namespaced());
        s.put("kind", sub.equals("scale") ? "Scale" : r.kind());
        s.put("verbs", sub.equals("log") ? List.of("get") : List.of("get", "patch", "update"));
        list.add(s);
      }
    }
    return write(
        Map.of(
            "kind",
            "APIResourceList",
            "apiVersion",
            "v1",
            "groupVersion",
            groupVersion,
            "resources",
            list));
  }

  private static Resource core(
      String plural,
      String singular,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      String... sub) {
    return of("", plural, singular, kind, namespaced, shortNames, sub);
  }

  private static Resource of(
      String group,
      String plural,
      String singular,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      String... sub) {
    return new Resource(
        group,
        "v1",
        plural,
        singular,
        kind,
        namespaced,
        shortNames,
        IN_ALL.contains(plural) ? List.of("all") : List.of(),
        List.of(sub),
        true);
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("discovery documents always serialize", e);
    }
  }
}
