package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GitHub Actions workflows cannot run here, so this checks what they promise: the pull-request
 * and release workflows run the same test command as .ci/run (the project's definition of "the
 * tests pass"), the release publishes the images and the chart the chart's defaults and the quick
 * start point at, signed and only after the tests passed, with least privilege and pinned actions.
 */
class WorkflowsTest {

  private static final Workflow CI = Workflow.read("ci.yml");
  private static final Workflow RELEASE = Workflow.read("release.yml");
  private static final String[] COMPONENTS = {"operator", "gateway"};

  @ParameterizedTest
  @ValueSource(strings = {"ci.yml", "release.yml"})
  void workflowIsWellFormed(String file) {
    Workflow workflow = Workflow.read(file);

    assertThat(workflow.yaml().path("name").asText()).isNotEmpty();
    assertThat(workflow.yaml().path("on").isObject()).as("on:").isTrue();
    assertThat(workflow.jobIds()).isNotEmpty();
    for (String job : workflow.jobIds()) {
      assertThat(workflow.job(job).path("runs-on").asText()).as(job).startsWith("ubuntu-");
      assertThat(workflow.steps(job)).as(job).isNotEmpty();
      for (JsonNode step : workflow.steps(job)) {
        assertThat(step.has("run") ^ step.has("uses"))
            .as("%s: run or uses: %s", job, step)
            .isTrue();
      }
      for (String needed : workflow.needsTransitively(job)) {
        assertThat(workflow.jobIds()).as("%s needs", job).contains(needed);
      }
    }
  }

  @Test
  void ciRunIsTheReadmesTestCommand() throws IOException {
    List<String> commands = ciRunCommands();
    // First the README's test command, then mutation testing of the decision cores (issue 12).
    assertThat(commands).hasSize(2);
    assertThat(commands.get(0)).isEqualTo(readmeTestCommand()).isEqualTo("mvn -B verify");
    assertThat(commands.get(1)).startsWith("exec mvn -B").contains("-Pmutation");
  }

  @Test
  void everyPullRequestRunsTheTestCommandThroughCiRun() {
    assertThat(CI.yaml().path("on").has("pull_request")).isTrue();
    assertThat(testRunningJobs(CI)).containsExactly("test");
    assertThat(CI.runs("test")).contains(".ci/run");
  }

  @Test
  void aReleaseIsCutFromAVersionTagThatNamesTheChartsVersion() {
    JsonNode trigger = RELEASE.yaml().path("on");

    assertThat(fieldNames(trigger)).containsExactly("push");
    assertThat(trigger.at("/push/tags").toString()).isEqualTo("[\"v*\"]");
    JsonNode gate =
        RELEASE.steps("version").stream()
            .filter(s -> s.path("id").asText().equals("version"))
            .findFirst()
            .orElseThrow();
    assertThat(gate.path("run").asText()).contains("version=\"$(.ci/release-version \"$TAG\")\"");
    assertThat(gate.at("/env/TAG").asText()).isEqualTo("${{ github.ref_name }}");
    assertThat(RELEASE.job("version").at("/outputs/version").asText())
        .isEqualTo("${{ steps.version.outputs.version }}");
  }

  @Test
  void aReleaseRunsTheTestCommandAndPublishesNothingBeforeItPassed() {
    assertThat(testRunningJobs(RELEASE)).containsExactly("test");
    assertThat(RELEASE.runs("test")).contains(".ci/run");
    for (String job : RELEASE.jobIds()) {
      if (!permissions(RELEASE.job(job)).values().stream().allMatch("read"::equals)) {
        assertThat(RELEASE.needsTransitively(job)).as("%s publishes", job).contains("test");
      }
    }
  }

  @Test
  void theImagesShipTheJarsTheTestsBuilt() {
    JsonNode upload = RELEASE.stepUsing("test", "actions/upload-artifact");
    JsonNode download = RELEASE.stepUsing("images", "actions/download-artifact");

    assertThat(upload.at("/with/name").asText()).isEqualTo(download.at("/with/name").asText());
    assertThat(upload.at("/with/path").asText().lines().map(String::strip))
        .containsExactlyInAnyOrder(
            Arrays.stream(COMPONENTS)
                .flatMap(c -> Stream.of(c + "/target/dormouse-" + c + ".jar", c + "/target/lib/"))
                .toArray(String[]::new));
    assertThat(download.at("/with/path").asText()).isEqualTo(".");
  }

  @Test
  void theImagesPushedAreTheChartsDefaultImagesTaggedWithItsAppVersion() {
    JsonNode values = Chart.defaultValues();
    Map<String, String> chartImages = new TreeMap<>();
    Map<String, String> rendered = new TreeMap<>();
    for (String component : COMPONENTS) {
      chartImages.put(
          component,
          values.at("/image/registry").asText()
              + "/"
              + values.at("/" + component + "/image/repository").asText());
      assertThat(values.at("/" + component + "/image/tag").asText())
          .as("the chart's %s image tag defaults to its appVersion", component)
          .isEmpty();
      rendered.put(
          component,
          Chart.render(ValueSet.DEFAULTS)
              .one("Deployment", "dormouse-" + component, Deployment.class)
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers()
              .get(0)
              .getImage());
    }

    assertThat(pushedImages()).isEqualTo(chartImages);
    String appVersion = Chart.metadata().path("appVersion").asText();
    chartImages.forEach(
        (component, image) ->
            assertThat(rendered.get(component)).isEqualTo(image + ":" + appVersion));
    JsonNode build = RELEASE.stepUsing("images", "docker/build-push-action").path("with");
    assertThat(build.path("tags").asText())
        .isEqualTo("${{ matrix.image }}:${{ needs.version.outputs.version }}");
    assertThat(build.path("file").asText()).isEqualTo("images/${{ matrix.component }}/Dockerfile");
    assertThat(build.path("context").asText())
        .as("the checkout, not a fresh git context")
        .isEqualTo(".");
    for (String component : pushedImages().keySet()) {
      assertThat(Chart.repository().resolve("images/" + component + "/Dockerfile")).exists();
    }
  }

  @Test
  void imagesAreBuiltForBothArchitecturesWithAnSbomAndSignedByDigest() throws IOException {
    JsonNode build = RELEASE.stepUsing("images", "docker/build-push-action");
    JsonNode sign =
        RELEASE.steps("images").stream()
            .filter(s -> s.path("run").asText().contains("cosign sign"))
            .findFirst()
            .orElseThrow();

    assertThat(build.path("id").asText()).isEqualTo("build");
    assertThat(build.at("/with/platforms").asText().split(","))
        .containsExactlyInAnyOrder("linux/amd64", "linux/arm64");
    assertThat(build.at("/with/push").asBoolean()).isTrue();
    assertThat(build.at("/with/sbom").asBoolean()).isTrue();
    assertThat(sign.path("run").asText().strip())
        .isEqualTo("cosign sign --yes \"${IMAGE}@${DIGEST}\"");
    assertThat(sign.at("/env/DIGEST").asText()).isEqualTo("${{ steps.build.outputs.digest }}");
    assertThat(sign.at("/env/IMAGE").asText()).isEqualTo("${{ matrix.image }}");
    RELEASE.stepUsing("images", "sigstore/cosign-installer");
    // No emulation is set up for arm64: that holds only while the Dockerfiles run nothing.
    for (String component : COMPONENTS) {
      assertThat(
              Files.readAllLines(Chart.repository().resolve("images/" + component + "/Dockerfile")))
          .as("images/%s/Dockerfile", component)
          .noneMatch(l -> l.startsWith("RUN "));
    }
  }

  @Test
  void theChartIsPushedWhereTheQuickStartInstallsItFromAndSigned() throws IOException {
    String repository = RELEASE.yaml().at("/env/CHART_REPOSITORY").asText();
    String owner = Chart.defaultValues().at("/operator/image/repository").asText().split("/")[0];
    String version = Chart.metadata().path("version").asText();
    String chartName = Chart.metadata().path("name").asText();
    String push = String.join("\n", RELEASE.runs("chart"));

    assertThat(repository)
        .isEqualTo(
            "oci://"
                + Chart.defaultValues().at("/image/registry").asText()
                + "/"
                + owner
                + "/charts");
    assertThat(RELEASE.runs("chart"))
        .contains(
            "helm package helm/dormouse --destination dist\ntest -f \"dist/"
                + chartName
                + "-${VERSION}.tgz\"");
    assertThat(push)
        .contains("helm push \"dist/" + chartName + "-${VERSION}.tgz\" \"$CHART_REPOSITORY\"")
        .contains("cosign sign --yes \"${CHART_REPOSITORY#oci://}/" + chartName + "@${digest}\"");
    assertThat(RELEASE.needsTransitively("chart"))
        .as("no chart before its images")
        .contains("images");
    for (String doc : List.of("docs/quick-start.md", "helm/dormouse/README.md")) {
      assertThat(Files.readString(Chart.repository().resolve(doc)))
          .as(doc)
          .contains(
              "helm install dormouse " + repository + "/" + chartName + " --version " + version);
    }
  }

  @Test
  void theChartIsPackagedByTheHelmTheTestsRenderItWith() {
    assertThat(RELEASE.stepUsing("chart", "azure/setup-helm").at("/with/version").asText())
        .isEqualTo(Helm.version().call());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ci.yml", "release.yml"})
  void everyActionIsPinnedToACommitAndNamesItsVersion(String file) {
    Pattern pinned =
        Pattern.compile("(?:- )?uses: ([\\w.-]+/[\\w.-]+)@([0-9a-f]{40}) # (v\\d+\\.\\d+\\.\\d+)");
    List<String> lines = Workflow.read(file).usesLines();

    assertThat(lines).isNotEmpty().allMatch(l -> pinned.matcher(l).matches(), "pinned");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ci.yml", "release.yml"})
  void everyScriptIsBashAndTakesItsInputsFromTheEnvironment(String file) throws Exception {
    Workflow workflow = Workflow.read(file);
    for (String job : workflow.jobIds()) {
      for (String script : workflow.runs(job)) {
        // An expression expanded into a script is a script injection; env is not.
        assertThat(script).as("%s: %s", job, script).doesNotContain("${{");
        Process bash = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
        try (var stdin = bash.getOutputStream()) {
          stdin.write(script.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue())
            .as("%s: bash -n: %s", job, new String(bash.getInputStream().readAllBytes()))
            .isZero();
      }
    }
  }

  @Test
  void anActionIsPinnedToTheSameCommitEverywhere() {
    Pattern pinned = Pattern.compile("(?:- )?uses: ([\\w.-]+/[\\w.-]+)@(\\S+ # \\S+)");
    Map<String, String> seen = new HashMap<>();
    for (Workflow workflow : List.of(CI, RELEASE)) {
      for (String line : workflow.usesLines()) {
        Matcher m = pinned.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        String first = seen.putIfAbsent(m.group(1), m.group(2));
        assertThat(first == null ? m.group(2) : first).as(m.group(1)).isEqualTo(m.group(2));
      }
    }
  }

  @Test
  void everyJobHasTheLeastPrivilegeItNeeds() {
    assertThat(permissions(CI.yaml())).isEqualTo(Map.of("contents", "read"));
    CI.jobIds().forEach(job -> assertThat(CI.job(job).has("permissions")).as(job).isFalse());

    assertThat(RELEASE.yaml().path("permissions").isObject()).isTrue();
    assertThat(permissions(RELEASE.yaml())).as("nothing by default").isEmpty();
    Map<String, Map<String, String>> byJob = new TreeMap<>();
    RELEASE.jobIds().forEach(job -> byJob.put(job, permissions(RELEASE.job(job))));
    Map<String, String> publish =
        Map.of("contents", "read", "packages", "write", "id-token", "write");
    assertThat(byJob)
        .isEqualTo(
            Map.of(
                "version", Map.of("contents", "read"),
                "test", Map.of("contents", "read"),
                "images", publish,
                "chart", publish,
                "github-release", Map.of("contents", "write")));
  }

  /** The Maven commands .ci/run runs, in order. */
  static List<String> ciRunCommands() throws IOException {
    return Files.readAllLines(Chart.repository().resolve(".ci/run")).stream()
        .map(String::strip)
        .filter(l -> l.startsWith("mvn ") || l.startsWith("exec mvn "))
        .toList();
  }

  /** The README's "run the whole test suite" line, without its comment. */
  static String readmeTestCommand() throws IOException {
    List<String> lines =
        Files.readAllLines(Chart.repository().resolve("README.md")).stream()
            .filter(l -> l.contains("# run the whole test suite"))
            .toList();
    assertThat(lines).hasSize(1);
    return lines.get(0).substring(0, lines.get(0).indexOf('#')).strip();
  }

  /** Jobs with a step that runs tests: .ci/run, or Maven directly (which would bypass it). */
  private static List<String> testRunningJobs(Workflow workflow) {
    return workflow.jobIds().stream()
        .filter(
            job ->
                workflow.runs(job).stream()
                    .anyMatch(r -> r.contains(".ci/run") || r.contains("mvn ")))
        .toList();
  }

  private static Map<String, String> pushedImages() {
    JsonNode include = RELEASE.job("images").at("/strategy/matrix/include");
    return StreamSupport.stream(include.spliterator(), false)
        .collect(
            Collectors.toMap(
                i -> i.path("component").asText(),
                i -> i.path("image").asText(),
                (a, b) -> a,
                TreeMap::new));
  }

  private static Map<String, String> permissions(JsonNode node) {
    Map<String, String> permissions = new TreeMap<>();
    node.path("permissions")
        .fields()
        .forEachRemaining(e -> permissions.put(e.getKey(), e.getValue().asText()));
    return permissions;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
