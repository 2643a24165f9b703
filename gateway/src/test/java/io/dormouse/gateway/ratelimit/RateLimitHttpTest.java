package io.dormouse.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.testing.GatewayWorld;
import io.dormouse.gateway.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request and token limits over HTTP, on a clock the test moves: the buckets refill only when
 * the test says so, so every count and every header is exact on however busy a machine.
 */
class RateLimitHttpTest {

  static final MutableClock clock = MutableClock.atEpoch();
  static GatewayWorld world;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    world = GatewayWorld.start(s -> s.clock(clock));
    key = world.key("alpha");
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  private static void serving(String name, Consumer<InferenceEndpoint> e) {
    world.endpoint(name, Phase.Ready, e);
    world.ready(name);
    world.awaitModel(key, name, Phase.Ready);
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return world.post("/v1/chat/completions", key, body);
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  @Test
  void a429TellsOneWaitInRetryAfterMsRetryAfterAndTheRefusingLimitsReset() throws Exception {
    serving("once", ie -> ie.getSpec().getLimits().setRequestsPerSecond(1));
    HttpResponse<String> refused = null;
    for (int i = 0; i < 5 && refused == null; i++) {
      HttpResponse<String> r = post(GatewayWorld.chat("once", false));
      if (r.statusCode() == 429) {
        refused = r;
      }
    }
    assertThat(refused).as("one request a second: a second one at once is refused").isNotNull();
    long ms = Long.parseLong(refused.headers().firstValue("retry-after-ms").orElseThrow());
    assertThat(ms).isBetween(1L, 1000L);
    assertThat(refused.headers().firstValue("x-ratelimit-reset-requests"))
        .hasValue(RateLimitState.reset(Duration.ofMillis(ms)));
    assertThat(refused.headers().firstValue("Retry-After"))
        .hasValue(Long.toString((ms + 999) / 1000));
    assertThat(refused.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
    assertThat(refused.headers().firstValue("x-should-retry")).isEmpty();
  }

  @Test
  void underThreeTimesTheLimitEachSecondAdmitsExactlyTheLimit() throws Exception {
    int limit = 20;
    serving("metered", ie -> ie.getSpec().getLimits().setRequestsPerSecond(limit));
    int limited = 0;
    for (int second = 0; second < 3; second++) {
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 3 * limit; i++) {
        calls.add(
            world.http.sendAsync(
                HttpRequest.newBuilder(URI.create(world.baseUrl() + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.ofString(GatewayWorld.chat("metered", false)))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      int admitted = 0;
      for (var call : calls) {
        int status = call.get().statusCode();
        if (status == 200) {
          admitted++;
        } else {
          assertThat(status).isEqualTo(429);
          limited++;
        }
      }
      assertThat(admitted).as("second %d", second).isEqualTo(limit);
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(
            world.metric(
                "dormouse_gateway_ratelimited_total", "endpoint=metered", "limit=requests"))
        .isEqualTo(limited)
        .isEqualTo(3 * 2 * limit);
  }

  @Test
  void aRefusalSaysWhenThereIsRoomAgainFromWhereverTheBucketStands() throws Exception {
    serving("paced", ie -> ie.getSpec().getLimits().setRequestsPerSecond(4));
    for (int i = 3; i >= 0; i--) {
      var ok = post(GatewayWorld.chat("paced", false));
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(header(ok, "x-ratelimit-remaining-requests")).isEqualTo(Integer.toString(i));
    }
    var empty = post(GatewayWorld.chat("paced", false));
    assertThat(empty.statusCode()).isEqualTo(429);
    assertThat(header(empty, "retry-after-ms")).isEqualTo("250");
    assertThat(header(empty, "Retry-After")).isEqualTo("1"); // whole seconds, rounded up
    assertThat(header(empty, "x-ratelimit-remaining-requests")).isEqualTo("0");
    // the refusing limit's reset tells the same wait as retry-after-ms
    assertThat(header(empty, "x-ratelimit-reset-requests")).isEqualTo("250ms");

    clock.advance(Duration.ofMillis(100)); // 0.4 of a request back: still no room
    var partial = post(GatewayWorld.chat("paced", false));
    assertThat(partial.statusCode()).isEqualTo(429);
    assertThat(header(partial, "retry-after-ms")).isEqualTo("150");
    assertThat(header(partial, "Retry-After")).isEqualTo("1");
    assertThat(header(partial, "x-ratelimit-reset-requests")).isEqualTo("150ms");

    clock.advance(Duration.ofMillis(150));
    var again = post(GatewayWorld.chat("paced", false));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(header(again, "x-ratelimit-remaining-requests")).isEqualTo("0");
    assertThat(header(again, "x-ratelimit-reset-requests")).isEqualTo("1s");
  }

  @Test
  void aRequestBeyondTheTokenBucketIsAdmittedOnceAndTheDebtIsRepaidBeforeTheNext()
      throws Exception {
    serving("heavy", ie -> ie.getSpec().getLimits().setTokensPerSecond(100));
    // max_tokens 200: twice the bucket. From a full bucket it goes through and leaves a debt.
    var first = post(GatewayWorld.chat("heavy", false, 200));
    assertThat(first.statusCode()).isEqualTo(200);
    var second = post(GatewayWorld.chat("heavy", false, 200));
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.body()).contains("\"type\":\"tokens\"");
    long wait = Long.parseLong(header(second, "retry-after-ms"));
    // the debt (over 100 tokens) and then a full bucket (100 tokens) at 100 a second
    assertThat(wait).isGreaterThan(2000);
    assertThat(header(second, "Retry-After")).isEqualTo(Long.toString((wait + 999) / 1000));
    assertThat(header(second, "x-ratelimit-remaining-tokens")).isEqualTo("0");

    clock.advance(Duration.ofMillis(wait - 1));
    var early = post(GatewayWorld.chat("heavy", false, 200));
    assertThat(early.statusCode()).isEqualTo(429);
    assertThat(header(early, "retry-after-ms")).isEqualTo("1");
    clock.advance(Duration.ofMillis(1));
    assertThat(post(GatewayWorld.chat("heavy", false, 200)).statusCode()).isEqualTo(200);
  }

  @Test
  void aRequestThatTimesOutWaitingForAWakeGetsItsTokensBack() throws Exception {
    world.endpoint(
        "refunded",
        Phase.Waking,
        ie -> {
          ie.getSpec().getLimits().setTokensPerSecond(100);
          ie.getSpec().getScaling().setWakeTimeout("1s");
        });
    world.awaitModel(key, "refunded", Phase.Waking);
    // 90 completion tokens and the prompt: most of the bucket, and the clock does not refill it
    var first = post(GatewayWorld.chat("refunded", false, 90));
    assertThat(first.statusCode()).isEqualTo(504);
    int remaining = Integer.parseInt(header(first, "x-ratelimit-remaining-tokens"));
    assertThat(remaining).isLessThan(10);
    var second = post(GatewayWorld.chat("refunded", false, 90));
    assertThat(second.statusCode()).as(second.body()).isEqualTo(504);
    assertThat(header(second, "x-ratelimit-remaining-tokens"))
        .isEqualTo(Integer.toString(remaining));
  }
}
