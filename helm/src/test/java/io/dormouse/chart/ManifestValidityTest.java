package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.dormouse.api.validation.CrdValidator;
import io.dormouse.api.validation.ValidationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the chart renders and what the docs tell users to apply is accepted by the CRDs, as the API
 * server would judge it (the crds module's validator).
 */
class ManifestValidityTest {

  private static final Path DOCS = Chart.dir().getParent().getParent().resolve("docs");
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
  private static final CrdValidator API_SERVER = CrdValidator.forDormouse();

  @Test
  void gpuTiersFromValuesAreValid() {
    List<JsonNode> tiers = Chart.render(ValueSet.NON_DEFAULT).ofKind("GpuTier");

    assertThat(tiers).isNotEmpty();
    tiers.forEach(t -> assertValid(t, "rendered " + t.at("/metadata/name").asText()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"quick-start.md"})
  void everyDormouseManifestInTheDocsIsValid(String page) throws IOException {
    assertThat(manifests(page)).as("manifests in %s", page).isNotEmpty();
    for (JsonNode manifest : manifests(page)) {
      assertValid(manifest, page + " " + manifest.path("kind").asText());
    }
  }

  @Test
  void quickStartTiersAndPresetExistInTheChart() throws IOException {
    JsonNode endpoint =
        manifests("quick-start.md").stream()
            .filter(m -> m.path("kind").asText().equals("InferenceEndpoint"))
            .findFirst()
            .orElseThrow();
    JsonNode values =
        yamlBlocks("quick-start.md").stream()
            .filter(b -> b.has("gpuTiers"))
            .findFirst()
            .orElseThrow();
    Map<String, Object> presets =
        Manifests.YAML.convertValue(
            Manifests.YAML.readTree(Chart.dir().resolve("values.yaml").toFile()).get("presets"),
            new TypeReference<>() {});

    endpoint
        .at("/spec/tiers")
        .forEach(t -> assertThat(values.get("gpuTiers").has(t.asText())).as(t.asText()).isTrue());
    assertThat(presets).containsKey(endpoint.at("/spec/model/preset").asText());
    // The values block must also be valid chart values.
    Path file = Files.createTempFile("quick-start-values", ".yaml");
    try {
      Manifests.YAML.writeValue(file.toFile(), values);
      assertThat(
              Manifests.parse(
                      new com.marcnuri.helm.Helm(Chart.dir())
                          .template()
                          .withName(Chart.RELEASE)
                          .withNamespace(Chart.NAMESPACE)
                          .withValuesFile(file)
                          .set("gpuTiersMode", "always")
                          .call())
                  .ofKind("GpuTier"))
          .hasSize(values.get("gpuTiers").size())
          .allSatisfy(t -> assertValid(t, "quick-start tier " + t.at("/metadata/name")));
    } finally {
      Files.delete(file);
    }
  }

  private static void assertValid(JsonNode manifest, String what) {
    Map<String, Object> object = Manifests.YAML.convertValue(manifest, new TypeReference<>() {});
    ValidationResult result = API_SERVER.validate(object);
    assertThat(result.valid()).as("%s: %s", what, result.apiServerMessage()).isTrue();
  }

  private static List<JsonNode> manifests(String page) throws IOException {
    return yamlBlocks(page).stream()
        .filter(b -> b.path("apiVersion").asText().startsWith("dormouse.io/"))
        .toList();
  }

  private static List<JsonNode> yamlBlocks(String page) throws IOException {
    List<JsonNode> blocks = new ArrayList<>();
    Matcher m = YAML_BLOCK.matcher(Files.readString(DOCS.resolve(page)));
    while (m.find()) {
      blocks.addAll(Manifests.parse(m.group(1)).all());
    }
    return blocks;
  }
}
