package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One version names a release: the tag vX.Y.Z, the chart's version and appVersion, and the images'
 * tag. The release workflow's gate (.ci/release-version) refuses a tag the chart does not carry, so
 * the chart is packaged as it is in the tagged commit.
 */
class ReleaseVersionTest {

  private static final Path GATE = Chart.repository().resolve(".ci/release-version");

  @Test
  void theChartsVersionIsSemVerAndItsAppVersion() {
    JsonNode chart = Chart.metadata();

    assertThat(chart.path("version").asText())
        .matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?")
        .isEqualTo(chart.path("appVersion").asText());
  }

  @Test
  void theGateAcceptsTheTagOfTheChartsVersionAndPrintsTheVersion() throws Exception {
    String version = Chart.metadata().path("version").asText();

    Gate gate = Gate.run(GATE, "v" + version);

    assertThat(gate.exit()).as(gate.stderr()).isZero();
    assertThat(gate.stdout().strip()).isEqualTo(version);
  }

  @ParameterizedTest(name = "{0} / {1} / {2}")
  @CsvSource({
    // tag,    version,  appVersion, accepted, message
    "v1.2.3,   1.2.3,    1.2.3,      true,     ''",
    "v1.3.0-rc.1, 1.3.0-rc.1, 1.3.0-rc.1, true, ''",
    "v1.2.4,   1.2.3,    1.2.3,      false,    does not name the chart's version",
    "1.2.3,    1.2.3,    1.2.3,      false,    does not name the chart's version",
    "v1.2.3,   1.2.3,    1.2.2,      false,    appVersion '1.2.2' differs from version '1.2.3'",
    "v1.2,     1.2,      1.2,        false,    not a SemVer version",
  })
  void theGateRefusesATagTheChartDoesNotCarry(
      String tag,
      String version,
      String appVersion,
      boolean accepted,
      String message,
      @TempDir Path repo)
      throws Exception {
    Files.createDirectories(repo.resolve(".ci"));
    Files.createDirectories(repo.resolve("helm/dormouse"));
    Path gate = Files.copy(GATE, repo.resolve(".ci/release-version"));
    Files.writeString(
        repo.resolve("helm/dormouse/Chart.yaml"),
        "apiVersion: v2\nname: dormouse\nversion: "
            + version
            + "\nappVersion: \""
            + appVersion
            + "\"\n");

    Gate run = Gate.run(gate, tag);

    assertThat(run.exit() == 0).as(run.stderr()).isEqualTo(accepted);
    if (accepted) {
      assertThat(run.stdout().strip()).isEqualTo(version);
    } else {
      assertThat(run.stdout()).isEmpty();
      assertThat(run.stderr()).contains(message);
    }
  }

  @Test
  void thePackagedChartIsNamedAndVersionedAsTheWorkflowPushesIt(@TempDir Path dist) {
    String version = Chart.metadata().path("version").asText();

    new Helm(Chart.dir()).packageIt().withDestination(dist).call();
    Path packaged = dist.resolve("dormouse-" + version + ".tgz");
    JsonNode shown = Manifests.parse(Helm.show(packaged.toString()).chart().call()).all().get(0);

    assertThat(packaged).exists();
    assertThat(shown.path("version").asText()).isEqualTo(version);
    assertThat(shown.path("appVersion").asText()).isEqualTo(version);
  }

  @Test
  void aReleasedImageCanBePinnedByDigest() {
    String digest = "sha256:" + "0123456789abcdef".repeat(4);
    String version = Chart.metadata().path("appVersion").asText();

    Manifests pinned =
        Chart.render(ValueSet.DEFAULTS, Map.of("gateway.image.tag", version + "@" + digest));

    assertThat(
            pinned
                .one("Deployment", "dormouse-gateway", Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .isEqualTo("ghcr.io/dormouse-io/dormouse-gateway:" + version + "@" + digest);
  }

  /** One run of the gate script, by bash, as the workflow runs it. */
  private record Gate(int exit, String stdout, String stderr) {

    static Gate run(Path script, String tag) throws IOException, InterruptedException {
      Process process = new ProcessBuilder("bash", script.toString(), tag).start();
      process.getOutputStream().close();
      boolean done = process.waitFor(30, TimeUnit.SECONDS);
      assertThat(done).as("the gate finished").isTrue();
      return new Gate(
          process.exitValue(),
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
          new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
