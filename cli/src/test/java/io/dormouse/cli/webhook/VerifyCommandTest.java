package io.dormouse.cli.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.cli.DormouseMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dormouse webhook verify} on the Standard Webhooks specification's test vector. */
class VerifyCommandTest {

  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String body, String signature, String... more) throws IOException {
    Path headers = dir.resolve("headers");
    Files.writeString(
        headers,
        "Content-Type: application/json\n"
            + "Webhook-Id: msg_p5jXN8AQM9LWM0D4loKWxJek\n"
            + "Webhook-Timestamp: 1614265330\n"
            + "Webhook-Signature: "
            + signature
            + "\n");
    Path bodyFile = dir.resolve("body");
    Files.writeString(bodyFile, body);
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
    var cl = DormouseMain.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] base = {
      "webhook", "verify",
      "--headers", headers.toString(),
      "--body", bodyFile.toString(),
      "--secret-file", secret.toString()
    };
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return cl.execute(args);
  }

  static final String VECTOR = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  @Test
  void aValidDeliveryAsOfItsTime() throws IOException {
    assertThat(run("{\"test\": 2432232314}", VECTOR, "--at", "2021-02-25T15:04:10Z")).isZero();
    assertThat(out.toString()).contains("valid: msg_p5jXN8AQM9LWM0D4loKWxJek");
  }

  @Test
  void aChangedBodyIsRefused() throws IOException {
    assertThat(run("{\"test\": 1}", VECTOR, "--at", "2021-02-25T15:04:10Z")).isEqualTo(1);
    assertThat(err.toString()).contains("no signature matches").doesNotContain("MfKQ9r8");
  }

  @Test
  void anOldDeliveryIsRefusedAsAReplayByDefault() throws IOException {
    assertThat(run("{\"test\": 2432232314}", VECTOR)).isEqualTo(1);
    assertThat(err.toString()).contains("tolerance");
  }
}
