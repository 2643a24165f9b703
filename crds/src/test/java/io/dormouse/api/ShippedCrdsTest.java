package io.dormouse.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart ships the CRDs byte for byte as generated from the Java types. They live in the chart's
 * templates/ (not crds/), so that {@code helm upgrade} updates them too.
 */
class ShippedCrdsTest {

  private static final Path SHIPPED = Path.of("..", "helm", "dormouse", "templates", "crds");

  private static final String REFRESH =
      "mvn -B -o -q process-classes -pl crds"
          + " && cp crds/target/classes/META-INF/fabric8/inferenceendpoints.dormouse.io-v1.yml"
          + " helm/dormouse/templates/crds/inferenceendpoints.dormouse.io.yaml"
          + " && cp crds/target/classes/META-INF/fabric8/gputiers.dormouse.io-v1.yml"
          + " helm/dormouse/templates/crds/gputiers.dormouse.io.yaml"
          + " && cp crds/target/classes/META-INF/fabric8/webhooks.dormouse.io-v1.yml"
          + " helm/dormouse/templates/crds/webhooks.dormouse.io.yaml";

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"inferenceendpoints.dormouse.io", "gputiers.dormouse.io", "webhooks.dormouse.io"})
  void theShippedCrdIsTheFreshGeneration(String crd) throws IOException {
    byte[] generated = generated(crd);
    Path shipped = SHIPPED.resolve(crd + ".yaml");

    assertThat(Files.exists(shipped))
        .as("%s is missing; from the repository root run:%n  %s", shipped, REFRESH)
        .isTrue();
    assertThat(new String(Files.readAllBytes(shipped), java.nio.charset.StandardCharsets.UTF_8))
        .as(
            "%s differs from the CRD generated from the Java types; from the repository root"
                + " run:%n  %s",
            shipped, REFRESH)
        .isEqualTo(new String(generated, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void theChartShipsNoOtherCrd() throws IOException {
    try (Stream<Path> files = Files.list(SHIPPED)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .as("stale CRD files in %s", SHIPPED)
          .isEqualTo(
              List.of(
                  "gputiers.dormouse.io.yaml",
                  "inferenceendpoints.dormouse.io.yaml",
                  "webhooks.dormouse.io.yaml"));
    }
  }

  private static byte[] generated(String crd) throws IOException {
    String resource = "META-INF/fabric8/" + crd + "-v1.yml";
    try (InputStream in = ShippedCrdsTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as("generated CRD %s on the class path", resource).isNotNull();
      return in.readAllBytes();
    }
  }
}
