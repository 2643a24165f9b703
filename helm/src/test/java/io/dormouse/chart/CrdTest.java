package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chart installs and upgrades exactly the CRDs that the crds module generates (its templates
 * are byte copies of them, refreshed by the crds build).
 */
class CrdTest {

  @ParameterizedTest
  @CsvSource({
    "inferenceendpoints.dormouse.io, META-INF/fabric8/inferenceendpoints.dormouse.io-v1.yml",
    "gputiers.dormouse.io,           META-INF/fabric8/gputiers.dormouse.io-v1.yml",
    "webhooks.dormouse.io,           META-INF/fabric8/webhooks.dormouse.io-v1.yml"
  })
  void renderedCrdEqualsTheGeneratedOne(String name, String generated) {
    JsonNode rendered = Chart.render(ValueSet.DEFAULTS).one("CustomResourceDefinition", name);

    assertThat(rendered).isEqualTo(generated(generated));
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void noOtherCrdIsRendered(ValueSet values) {
    assertThat(Chart.render(values).ofKind("CustomResourceDefinition"))
        .extracting(d -> d.at("/metadata/name").asText())
        .containsExactlyInAnyOrder(
            "inferenceendpoints.dormouse.io", "gputiers.dormouse.io", "webhooks.dormouse.io");
  }

  /** Read from the dormouse-crds jar on the test class path: the build's fresh generation. */
  static JsonNode generated(String resource) {
    try (InputStream in = CrdTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as("%s on the class path (dormouse-crds)", resource).isNotNull();
      return Manifests.YAML.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(resource, e);
    }
  }
}
