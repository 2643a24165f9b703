package io.dormouse.sim.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubectlAgainstSimTest {

  @TempDir Path dir;
  private SimApiServer api;
  private Kubectl kubectl;

  @BeforeEach
  void start() {
    assumeTrue(Kubectl.installed(), "kubectl is not installed on this machine: test skipped");
    api = SimApiServer.start(CrdValidatorAdmission.forDormouse(), List.of("team-a"));
    kubectl = new Kubectl(api.writeKubeconfig(dir.resolve("kubeconfig"), "team-a"));
  }

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void appliesListsAndDescribesEndpointsAndShowsRefusals() throws Exception {
    Path good = Files.writeString(dir.resolve("good.yaml"), SimApiServerTest.ENDPOINT.formatted(1));
    Path bad =
        Files.writeString(
            dir.resolve("bad.yaml"),
            SimApiServerTest.ENDPOINT.formatted(0).replace("name: llama", "name: broken"));

    Kubectl.Result applied = kubectl.run("apply", "-f", good.toString());
    Kubectl.Result reapplied = kubectl.run("apply", "-f", good.toString());
    Kubectl.Result listed = kubectl.run("get", "ie");
    Kubectl.Result described = kubectl.run("describe", "ie", "llama");
    Kubectl.Result refused = kubectl.run("apply", "-f", bad.toString());

    assertThat(applied.out()).contains("inferenceendpoint.dormouse.io/llama created");
    assertThat(applied.exitCode()).isZero();
    assertThat(reapplied.exitCode()).as(reapplied.out()).isZero();
    assertThat(listed.exitCode()).as(listed.out()).isZero();
    assertThat(listed.out()).contains("llama");
    assertThat(described.out()).as(described.out()).contains("Name:").contains("llama");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.out()).contains("is invalid: spec.replicas");
  }

  @Test
  void appliesTheRepositorysExamples() throws Exception {
    Path examples = Path.of("..", "examples").toAbsolutePath().normalize();
    assumeTrue(Files.isDirectory(examples), "no examples/ directory next to sim/");

    Kubectl.Result applied = kubectl.run("apply", "-f", examples.toString());
    Kubectl.Result listed = kubectl.run("get", "ie", "-A");
    Kubectl.Result tiers = kubectl.run("get", "gputiers");

    assertThat(applied.exitCode()).as(applied.out()).isZero();
    assertThat(listed.out()).contains("llama3-8b");
    assertThat(tiers.out()).contains("spot-a100").contains("on-demand-a100");
  }
}
