package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The upgrade check finds what the API server would refuse, and only that. */
class ImmutableFieldsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Deployment selector changed        | kind: Deployment\\nmetadata: {name: d, namespace: n}\\nspec: {selector: {matchLabels: {a: '1'}}, replicas: 1} | kind: Deployment\\nmetadata: {name: d, namespace: n}\\nspec: {selector: {matchLabels: {a: '2'}}, replicas: 1} | Deployment n/d: /spec/selector is immutable
          Deployment replicas and image      | kind: Deployment\\nmetadata: {name: d, namespace: n}\\nspec: {selector: {matchLabels: {a: '1'}}, replicas: 1, template: {spec: {containers: [{image: x:1}]}}} | kind: Deployment\\nmetadata: {name: d, namespace: n}\\nspec: {selector: {matchLabels: {a: '1'}}, replicas: 3, template: {spec: {containers: [{image: x:2}]}}} |
          Deployment deleted                 | kind: Deployment\\nmetadata: {name: d, namespace: n} | kind: Deployment\\nmetadata: {name: other, namespace: n} | Deployment n/d: the upgrade would delete it
          ConfigMap deleted                  | kind: ConfigMap\\nmetadata: {name: c, namespace: n} | kind: ConfigMap\\nmetadata: {name: other, namespace: n} |
          Service type changed               | kind: Service\\nmetadata: {name: s, namespace: n}\\nspec: {type: ClusterIP} | kind: Service\\nmetadata: {name: s, namespace: n}\\nspec: {type: NodePort} | Service n/s: /spec/type is immutable
          Service made headless              | kind: Service\\nmetadata: {name: s, namespace: n}\\nspec: {type: ClusterIP} | kind: Service\\nmetadata: {name: s, namespace: n}\\nspec: {type: ClusterIP, clusterIP: None} | Service n/s: /spec/clusterIP is immutable
          Service ports changed              | kind: Service\\nmetadata: {name: s, namespace: n}\\nspec: {ports: [{port: 80}]} | kind: Service\\nmetadata: {name: s, namespace: n}\\nspec: {ports: [{port: 81}]} |
          StatefulSet claim templates        | kind: StatefulSet\\nmetadata: {name: db, namespace: n}\\nspec: {volumeClaimTemplates: [{metadata: {name: data}}]} | kind: StatefulSet\\nmetadata: {name: db, namespace: n}\\nspec: {volumeClaimTemplates: [{metadata: {name: pgdata}}]} | StatefulSet n/db: /spec/volumeClaimTemplates is immutable
          RoleBinding roleRef                | kind: RoleBinding\\nmetadata: {name: r, namespace: n}\\nroleRef: {kind: Role, name: a} | kind: RoleBinding\\nmetadata: {name: r, namespace: n}\\nroleRef: {kind: Role, name: b} | RoleBinding n/r: /roleRef is immutable
          Job template                       | kind: Job\\nmetadata: {name: j, namespace: n}\\nspec: {template: {spec: {containers: [{image: x:1}]}}} | kind: Job\\nmetadata: {name: j, namespace: n}\\nspec: {template: {spec: {containers: [{image: x:2}]}}} | Job n/j: /spec/template is immutable
          Helm hook Job template             | kind: Job\\nmetadata: {name: j, namespace: n, annotations: {helm.sh/hook: pre-upgrade}}\\nspec: {template: {spec: {containers: [{image: x:1}]}}} | kind: Job\\nmetadata: {name: j, namespace: n, annotations: {helm.sh/hook: pre-upgrade}}\\nspec: {template: {spec: {containers: [{image: x:2}]}}} |
          immutable ConfigMap data           | kind: ConfigMap\\nmetadata: {name: c, namespace: n}\\nimmutable: true\\ndata: {a: '1'} | kind: ConfigMap\\nmetadata: {name: c, namespace: n}\\nimmutable: true\\ndata: {a: '2'} | ConfigMap n/c: /data of an immutable ConfigMap changed
          CRD version no longer served       | kind: CustomResourceDefinition\\nmetadata: {name: x.io}\\nspec: {scope: Namespaced, versions: [{name: v1alpha1, served: true}]} | kind: CustomResourceDefinition\\nmetadata: {name: x.io}\\nspec: {scope: Namespaced, versions: [{name: v1alpha1, served: false}, {name: v1beta1, served: true}]} | CustomResourceDefinition x.io: version v1alpha1 is no longer served
          CRD version added                  | kind: CustomResourceDefinition\\nmetadata: {name: x.io}\\nspec: {scope: Namespaced, versions: [{name: v1alpha1, served: true}]} | kind: CustomResourceDefinition\\nmetadata: {name: x.io}\\nspec: {scope: Namespaced, versions: [{name: v1alpha1, served: true}, {name: v1beta1, served: true}]} |
          CRD scope                          | kind: CustomResourceDefinition\\nmetadata: {name: x.io}\\nspec: {scope: Namespaced} | kind: CustomResourceDefinition\\nmetadata: {name: x.io}\\nspec: {scope: Cluster} | CustomResourceDefinition x.io: /spec/scope is immutable
          """)
  void findsWhatAnUpgradeMayNotChange(String change, String before, String after, String found) {
    List<String> violations =
        ImmutableFields.violations(List.of(yaml(before)), List.of(yaml(after)));

    if (found == null) {
      assertThat(violations).as(change).isEmpty();
    } else {
      assertThat(violations).as(change).singleElement().asString().startsWith(found);
    }
  }

  private static JsonNode yaml(String text) {
    return Manifests.parse(text.replace("\\n", "\n")).all().get(0);
  }
}
