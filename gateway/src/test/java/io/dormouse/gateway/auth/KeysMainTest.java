package io.dormouse.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.Wiring;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
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

  @Test
  void aProjectThatIsNotADnsLabelIsRefused() {
    CommandLine cli = new CommandLine(new KeysMain());
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(new StringWriter()));
    assertThat(cli.execute("create", "--project", "Not_A_Label")).isNotZero();
  }
}
