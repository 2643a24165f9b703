package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The user docs name what the chart and the components really ship. */
class DocsTest {

  private static final Path DOCS = Chart.dir().getParent().getParent().resolve("docs");
  private static final Pattern LINK = Pattern.compile("\\]\\(([\\w./-]+)(#[\\w-]*)?\\)");

  /** Pages other work owns; they may land after these docs. */
  private static final Set<String> OWNED_ELSEWHERE = Set.of("benchmarks.md", "architecture.md");

  @Test
  void operationsListsEveryMetricAndEveryAlert() throws IOException {
    String operations = read("operations.md");
    JsonNode rule = Chart.render(ValueSet.NON_DEFAULT).one("PrometheusRule", "dormouse");
    List<String> alerts = new ArrayList<>();
    rule.at("/spec/groups")
        .forEach(g -> g.get("rules").forEach(r -> alerts.add(r.get("alert").asText())));

    assertThat(operations)
        .contains(MonitoringTest.METRICS.stream().map(m -> "`" + m + "`").toList());
    assertThat(operations).contains(alerts.stream().map(a -> "`" + a + "`").toList());
  }

  @Test
  void quickStartStartsWithTheSimAndInstallsTheReleasedChart() throws IOException {
    // The OCI reference and version are checked against the release workflow in WorkflowsTest.
    assertThat(read("quick-start.md"))
        .contains("mvn -B -q install -DskipTests && mvn -B -q -pl sim exec:java")
        .contains("helm install dormouse oci://")
        .contains("helm upgrade --install dormouse helm/dormouse");
  }

  @Test
  void conceptsDrawTheLifecycleWithEveryPhase() throws IOException {
    String concepts = read("concepts.md");

    assertThat(concepts).contains("```mermaid\nstateDiagram-v2");
    for (var phase : io.dormouse.api.v1alpha1.Phase.values()) {
      assertThat(concepts).contains(phase.name() + " -->", "--> " + phase.name());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "quick-start.md",
        "concepts.md",
        "operations.md",
        "security.md",
        "node-pools.md",
        "api-reference.md"
      })
  void relativeLinksResolve(String page) throws IOException {
    Matcher m = LINK.matcher(read(page));
    while (m.find()) {
      String target = m.group(1);
      if (target.contains("://") || OWNED_ELSEWHERE.contains(target)) {
        continue;
      }
      assertThat(DOCS.resolve(target).normalize()).as("%s links to %s", page, target).exists();
    }
  }

  private static String read(String page) throws IOException {
    return Files.readString(DOCS.resolve(page));
  }
}
