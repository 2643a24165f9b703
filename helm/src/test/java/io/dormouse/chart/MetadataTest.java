package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every object says what it belongs to, and namespaced ones live in the release's namespace. */
class MetadataTest {

  private static final Set<String> CLUSTER_SCOPED =
      Set.of("CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "GpuTier");

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void everyObjectCarriesTheRecommendedLabels(ValueSet values) {
    Chart.render(values).all().stream()
        // The CRDs are byte copies of the generated ones.
        .filter(d -> !d.path("kind").asText().equals("CustomResourceDefinition"))
        .forEach(
            d -> {
              JsonNode labels = d.at("/metadata/labels");
              assertThat(labels.path("app.kubernetes.io/name").asText())
                  .as(id(d))
                  .isEqualTo("dormouse");
              assertThat(labels.path("app.kubernetes.io/instance").asText())
                  .as(id(d))
                  .isEqualTo(Chart.RELEASE);
              assertThat(labels.path("app.kubernetes.io/managed-by").asText())
                  .as(id(d))
                  .isEqualTo("Helm");
              assertThat(labels.path("app.kubernetes.io/version").asText()).as(id(d)).isNotEmpty();
              assertThat(labels.path("app.kubernetes.io/part-of").asText())
                  .as(id(d))
                  .isEqualTo("dormouse");
            });
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void namespacedObjectsLiveInTheReleaseNamespaceAndClusterOnesInNone(ValueSet values) {
    Chart.render(values)
        .all()
        .forEach(
            d -> {
              String namespace = d.at("/metadata/namespace").asText();
              if (CLUSTER_SCOPED.contains(d.path("kind").asText())) {
                assertThat(namespace).as(id(d)).isEmpty();
              } else {
                assertThat(namespace).as(id(d)).isEqualTo(Chart.NAMESPACE);
              }
            });
  }

  private static String id(JsonNode d) {
    return d.path("kind").asText() + "/" + d.at("/metadata/name").asText();
  }
}
