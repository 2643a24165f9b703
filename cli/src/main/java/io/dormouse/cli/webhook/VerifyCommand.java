package io.dormouse.cli.webhook;

import io.dormouse.api.events.WebhookSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dormouse webhook verify}: checks a saved delivery (its headers as HTTP header lines, its
 * body byte for byte) against one or two signing secrets, with the timestamp window. Exit 0 when
 * valid, 1 when not (the reason on stderr), 2 on a usage error.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = "Check a saved webhook delivery's Standard Webhooks signature and timestamp.")
public final class VerifyCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--headers",
      required = true,
      description = "A file of the delivery's headers, one 'name: value' per line.")
  Path headers;

  @Option(names = "--body", required = true, description = "A file of the delivery's body.")
  Path body;

  @Option(
      names = "--secret-file",
      description =
          "A file holding the whsec_ secret (one per line: two during a rotation). Default: the"
              + " DORMOUSE_WEBHOOK_SECRET environment variable.")
  Path secretFile;

  @Option(
      names = "--tolerance",
      defaultValue = "300",
      description = "Seconds the timestamp may be from now (default ${DEFAULT-VALUE}).")
  long toleranceSeconds;

  @Option(
      names = "--at",
      description =
          "Check as of this instant (RFC 3339) rather than now: for a delivery saved earlier.")
  Instant at;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    List<String> secrets = new ArrayList<>();
    Map<String, String> h;
    byte[] payload;
    try {
      if (secretFile != null) {
        for (String line : Files.readAllLines(secretFile)) {
          if (!line.isBlank()) {
            secrets.add(line.strip());
          }
        }
      } else if (System.getenv("DORMOUSE_WEBHOOK_SECRET") != null) {
        secrets.add(System.getenv("DORMOUSE_WEBHOOK_SECRET").strip());
      }
      h = readHeaders(headers);
      payload = Files.readAllBytes(body);
    } catch (IOException e) {
      spec.commandLine().getErr().println("cannot read: " + e.getMessage());
      return 2;
    }
    if (secrets.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println("no secret: give --secret-file or set DORMOUSE_WEBHOOK_SECRET");
      return 2;
    }
    try {
      WebhookSignature.verify(
          secrets,
          h.get(WebhookSignature.HEADER_ID),
          h.get(WebhookSignature.HEADER_TIMESTAMP),
          h.get(WebhookSignature.HEADER_SIGNATURE),
          payload,
          at != null ? at : clock.instant(),
          Duration.ofSeconds(toleranceSeconds));
    } catch (WebhookSignature.Invalid e) {
      spec.commandLine().getErr().println("invalid: " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println("valid: " + h.get(WebhookSignature.HEADER_ID));
    return 0;
  }

  static Map<String, String> readHeaders(Path file) throws IOException {
    Map<String, String> out = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        out.putIfAbsent(
            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).strip());
      }
    }
    return out;
  }
}
