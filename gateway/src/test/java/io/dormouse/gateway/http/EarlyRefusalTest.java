package io.dormouse.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.testing.GatewayWorld;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A refusal before the body is read drains the rest of the body before closing (a lingering close),
 * so a client still sending reads the answer instead of a connection reset.
 */
class EarlyRefusalTest {

  static GatewayWorld world;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    world = GatewayWorld.start(s -> s.maxBodyBytes(64 * 1024));
    key = world.key("alpha");
    world.endpoint("llama", Phase.Ready, ie -> {});
    world.ready("llama");
    world.awaitModel(key, "llama", Phase.Ready);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  /** 40 MB in 64 KB pieces, produced as the client sends them. */
  private static HttpRequest.BodyPublisher streamOf40Megabytes() {
    return HttpRequest.BodyPublishers.ofInputStream(
        () ->
            new InputStream() {
              private long left = 40L * 1024 * 1024;

              @Override
              public int read() {
                if (left <= 0) {
                  return -1;
                }
                left--;
                return 'a';
              }

              @Override
              public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                  return -1;
                }
                int n = (int) Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) 'a');
                left -= n;
                return n;
              }
            });
  }

  @Test
  void aClientStillSendingFortyMegabytesReadsThe413InFull() throws Exception {
    HttpResponse<String> response =
        world.http.send(
            HttpRequest.newBuilder(URI.create(world.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .POST(streamOf40Megabytes())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("\"code\":\"request_too_large\"");
    // and the gateway goes on serving
    assertThat(
            world.post("/v1/chat/completions", key, GatewayWorld.chat("llama", false)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aClientStillSendingABodyThatIsNotJsonReadsThe415() throws Exception {
    HttpResponse<String> response =
        world.http.send(
            HttpRequest.newBuilder(URI.create(world.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "text/plain")
                .header("Authorization", "Bearer " + key)
                .POST(streamOf40Megabytes())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(response.body()).contains("unsupported_media_type");
  }
}
