package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/api-reference.md is generated from the CRDs; this fails when it is stale. Refresh it with
 * the command in {@link ApiReference#REFRESH}.
 */
class ApiReferenceTest {

  private static final Path DOC = Path.of("..", "docs", "api-reference.md");

  @Test
  void apiReferenceMatchesTheGeneratedCrds() throws IOException {
    String expected =
        ApiReference.render(
            List.of(
                CrdTest.generated("META-INF/fabric8/inferenceendpoints.dormouse.io-v1.yml"),
                CrdTest.generated("META-INF/fabric8/gputiers.dormouse.io-v1.yml"),
                CrdTest.generated("META-INF/fabric8/webhooks.dormouse.io-v1.yml")));

    if (Boolean.getBoolean("dormouse.docs.write")) {
      Files.writeString(DOC, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(DOC))
        .as("%s exists; create it with: %s", DOC, ApiReference.REFRESH)
        .isTrue();
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as("docs/api-reference.md is stale; refresh it with: %s", ApiReference.REFRESH)
        .isEqualTo(expected);
  }

  @Test
  void everyDescribedFieldIsListedWithItsValidation() {
    String md =
        ApiReference.render(
            List.of(CrdTest.generated("META-INF/fabric8/inferenceendpoints.dormouse.io-v1.yml")));

    assertThat(md)
        .contains("| `spec.tiers` | []string |")
        .contains("items ≥ 1")
        .contains("must not name a tier twice")
        .contains("| `spec.scaling.idleTimeout` | string | `15m` |")
        .contains("| `spec.replicas` | integer |  | ≥ 1; ≤ 64 |")
        .contains("| `spec.scaling.scaleDownDelay` | string | `5m` |")
        .contains("must not exceed maxReplicas")
        .contains("| `status.phase` | string |")
        .doesNotContain("spec.engine.env[].name");
  }
}
