package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every grant, spelled out. Rules are flattened to "group/resource verb" permissions and compared
 * as sets, so any broadened rule (a new verb, resource, group or a wildcard) fails here.
 */
class RbacTest {

  private static final String CRUD = "get list watch create update patch delete";

  static final Set<String> OPERATOR_CLUSTER =
      union(
          grants("dormouse.io", "inferenceendpoints", "get list watch update patch"),
          grants("dormouse.io", "inferenceendpoints/status", "get update patch"),
          grants("dormouse.io", "inferenceendpoints/finalizers", "update"),
          grants("dormouse.io", "gputiers", "get list watch"),
          grants("dormouse.io", "gputiers/status", "get update patch"),
          grants("dormouse.io", "gputiers/finalizers", "update"),
          grants("dormouse.io", "webhooks", "get list watch"),
          grants("dormouse.io", "webhooks/status", "get update patch"),
          grants("", "secrets", "get"),
          grants("karpenter.sh", "nodepools", "get list watch create patch delete"),
          grants("", "nodes", "get list watch"),
          grants("apps", "deployments", CRUD),
          grants("", "services", CRUD),
          grants("networking.k8s.io", "networkpolicies", CRUD),
          grants("", "pods", "get list watch"),
          grants("", "pods/log", "get"),
          grants("", "namespaces", "list watch"),
          grants("coordination.k8s.io", "leases", "get list watch create update patch"),
          grants("", "events", "create patch list"),
          grants("events.k8s.io", "events", "create patch"));

  static final Set<String> OPERATOR_NAMESPACE =
      union(
          grants("", "configmaps", "get list watch"),
          grants("coordination.k8s.io", "leases", "get create update patch"),
          // the gateway Service's slices: whose load the autoscaler reads
          grants("discovery.k8s.io", "endpointslices", "get list watch"));

  static final Set<String> GATEWAY_CLUSTER =
      union(
          grants("dormouse.io", "inferenceendpoints", "get list watch"),
          grants("discovery.k8s.io", "endpointslices", "get list watch"),
          grants("", "namespaces", "list watch"),
          grants("coordination.k8s.io", "leases", "get create update patch"));

  static final Set<String> GATEWAY_NAMESPACE = grants("", "secrets", "get list watch");

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void operatorHasExactlyWhatItOwnsAndWatches(ValueSet values) {
    Manifests m = Chart.render(values);

    assertThat(permissions(m.one("ClusterRole", "dormouse-operator", ClusterRole.class).getRules()))
        .containsExactlyInAnyOrderElementsOf(OPERATOR_CLUSTER);
    assertThat(permissions(m.one("Role", "dormouse-operator", Role.class).getRules()))
        .containsExactlyInAnyOrderElementsOf(OPERATOR_NAMESPACE);
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void gatewayReadsEndpointsAndBackendsWritesLeasesAndReadsOnlyItsOwnSecrets(ValueSet values) {
    Manifests m = Chart.render(values);

    assertThat(permissions(m.one("ClusterRole", "dormouse-gateway", ClusterRole.class).getRules()))
        .containsExactlyInAnyOrderElementsOf(GATEWAY_CLUSTER);
    assertThat(permissions(m.one("Role", "dormouse-gateway", Role.class).getRules()))
        .containsExactlyInAnyOrderElementsOf(GATEWAY_NAMESPACE);
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void noOtherRolesExistAndEachIsBoundToItsOwnServiceAccountOnly(ValueSet values) {
    Manifests m = Chart.render(values);

    assertThat(m.ofKind("ClusterRole", ClusterRole.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder("dormouse-operator", "dormouse-gateway");
    assertThat(m.ofKind("Role", Role.class))
        .allSatisfy(r -> assertThat(r.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE))
        .extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder("dormouse-operator", "dormouse-gateway");
    for (String who : List.of("dormouse-operator", "dormouse-gateway")) {
      ClusterRoleBinding cluster = m.one("ClusterRoleBinding", who, ClusterRoleBinding.class);
      assertThat(cluster.getRoleRef().getKind()).isEqualTo("ClusterRole");
      assertThat(cluster.getRoleRef().getName()).isEqualTo(who);
      assertThat(cluster.getSubjects()).singleElement().satisfies(s -> isServiceAccount(s, who));
      RoleBinding local = m.one("RoleBinding", who, RoleBinding.class);
      assertThat(local.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(local.getRoleRef().getName()).isEqualTo(who);
      assertThat(local.getSubjects()).singleElement().satisfies(s -> isServiceAccount(s, who));
    }
    assertThat(m.ofKind("ClusterRoleBinding")).hasSize(2);
    assertThat(m.ofKind("RoleBinding")).hasSize(2);
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void deploymentsRunAsTheirOwnServiceAccount(ValueSet values) {
    var pods = Chart.render(values).podTemplates();

    assertThat(pods.get("Deployment/dormouse-operator").getSpec().getServiceAccountName())
        .isEqualTo("dormouse-operator");
    assertThat(pods.get("Deployment/dormouse-gateway").getSpec().getServiceAccountName())
        .isEqualTo("dormouse-gateway");
  }

  private static void isServiceAccount(Subject s, String name) {
    assertThat(s.getKind()).isEqualTo("ServiceAccount");
    assertThat(s.getName()).isEqualTo(name);
    assertThat(s.getNamespace()).isEqualTo(Chart.NAMESPACE);
  }

  /**
   * "group/resource verb" for every combination a rule grants; resourceNames narrow nothing here.
   */
  static Set<String> permissions(List<PolicyRule> rules) {
    Set<String> out = new TreeSet<>();
    for (PolicyRule rule : rules) {
      assertThat(rule.getNonResourceURLs()).isEmpty();
      assertThat(rule.getResourceNames()).isEmpty();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            out.add(group + "/" + resource + " " + verb);
          }
        }
      }
    }
    return out;
  }

  private static Set<String> grants(String group, String resource, String verbs) {
    return Arrays.stream(verbs.split(" "))
        .map(v -> group + "/" + resource + " " + v)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> out = new TreeSet<>();
    Arrays.stream(sets).forEach(out::addAll);
    return out;
  }
}
