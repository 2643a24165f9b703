package io.dormouse.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.Wiring;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeysMainTest {

  @Test
  void createPrintsTheKeyOnceAndASecretHoldingOnlyItsHash() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new KeysMain());
    cli.setOut(new PrintWriter(out));
    int code = cli.execute("create", "--project", "alpha", "--namespace", "gw");
    assertThat(code).isZero();
    String text = out.toString();
    String key =
        text.lines().filter(l -> l.startsWith("# dm-")).findFirst().orElseThrow().substring(2);
    assertThat(ApiKeys.parse(key)).isPresent();
    String yaml = text.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    assertThat(yaml).doesNotContain(key);
    Secret secret = Serialization.unmarshal(yaml, Secret.class);
    assertThat(secret.getMetadata().getNamespace()).isEqualTo("gw");
    assertThat(secret.getMetadata().getLabels())
        .containsEntry(Wiring.LABEL_API_KEY, "true")
        .containsEntry(Wiring.LABEL_PROJECT, "alpha");
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry(Wiring.ANNOTATION_KEY_ID, ApiKeys.parse(key).get());
    String hex =
        new String(
            Base64.getDecoder().decode(secret.getData().get(Wiring.SECRET_KEY_SHA256)),
            StandardCharsets.US_ASCII);
    assertThat(hex).isEqualTo(KeyDigest.sha256Hex(key));
  }

  /**
   * Run as the docs run it, in a JVM of its own against an API server: standard output is the usage
   * comment and the key, nothing else; no DEBUG line anywhere.
   */
  @Test
  void appliedTheKeyIsAloneOnStandardOutputAndNothingIsLoggedAtDebug(@TempDir Path dir)
      throws Exception {
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init();
    try {
      Path kubeconfig =
          Files.writeString(
              dir.resolve("kubeconfig"),
              String.join(
                  "\n",
                  "apiVersion: v1",
                  "kind: Config",
                  "clusters: [{name: c, cluster: {server: '" + server.url("/") + "'}}]",
                  "contexts: [{name: c, context: {cluster: c, user: u}}]",
                  "current-context: c",
                  "users: [{name: u, user: {}}]",
                  ""));
      server
          .expect()
          .post()
          .withPath("/api/v1/namespaces/gw/secrets")
          .andReturn(201, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\"}")
          .once();
      ProcessBuilder java =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  KeysMain.class.getName(),
                  "create",
                  "--project",
                  "alpha",
                  "--namespace",
                  "gw",
                  "--apply")
              .redirectOutput(dir.resolve("out").toFile())
              .redirectError(dir.resolve("err").toFile());
      java.environment().put("KUBECONFIG", kubeconfig.toString());
      Process process = java.start();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

      List<String> out = Files.readAllLines(dir.resolve("out"));
      String err = Files.readString(dir.resolve("err"));
      assertThat(process.exitValue()).as(err).isZero();
      assertThat(out).hasSize(2);
      assertThat(out.get(0)).startsWith("# API key for project alpha");
      assertThat(ApiKeys.parse(out.get(1))).isPresent();
      assertThat(err).contains("created Secret gw/").doesNotContain("DEBUG");
      // The Secret created holds the hash of the very key printed.
      assertThat(server.getLastRequest().getBody().readUtf8())
          .contains(
              Base64.getEncoder()
                  .encodeToString(
                      KeyDigest.sha256Hex(out.get(1)).getBytes(StandardCharsets.US_ASCII)));
    } finally {
      server.destroy();
    }
  }

  @Test
  void aProjectThatIsNotADnsLabelIsRefused() {
    CommandLine cli = new CommandLine(new KeysMain());
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(new StringWriter()));
    assertThat(cli.execute("create", "--project", "Not_A_Label")).isNotZero();
  }
}
