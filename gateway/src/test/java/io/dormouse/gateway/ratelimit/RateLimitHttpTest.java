package io.dormouse.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.testing.GatewayWorld;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A coarse end-to-end check of the request limit under three times the load it allows. */
class RateLimitHttpTest {

  @Test
  void a429TellsOneWaitInRetryAfterMsRetryAfterAndTheRefusingLimitsReset() throws Exception {
    try (GatewayWorld world = GatewayWorld.start()) {
      String key = world.key("alpha");
      world.endpoint("once", Phase.Ready, ie -> ie.getSpec().getLimits().setRequestsPerSecond(1));
      world.ready("once");
      world.awaitModel(key, "once", Phase.Ready);

      HttpResponse<String> refused = null;
      for (int i = 0; i < 5 && refused == null; i++) {
        HttpResponse<String> r =
            world.post("/v1/chat/completions", key, GatewayWorld.chat("once", false));
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
  }

  @Test
  void underThreeTimesTheLimitTheGatewayAdmitsTheLimit() throws Exception {
    int limit = 20;
    try (GatewayWorld world = GatewayWorld.start()) {
      String key = world.key("alpha");
      world.endpoint(
          "metered", Phase.Ready, ie -> ie.getSpec().getLimits().setRequestsPerSecond(limit));
      world.ready("metered");
      world.awaitModel(key, "metered", Phase.Ready);
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(world.baseUrl() + "/v1/chat/completions"))
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/json")
              .header("Authorization", "Bearer " + key)
              .POST(HttpRequest.BodyPublishers.ofString(GatewayWorld.chat("metered", false)))
              .build();
      List<CompletableFuture<HttpResponse<Void>>> calls = new CopyOnWriteArrayList<>();
      List<Long> sentAt = new CopyOnWriteArrayList<>();
      ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
      int total = 3 * limit * 6; // six seconds at three times the limit
      var task =
          sender.scheduleAtFixedRate(
              () -> {
                if (calls.size() < total) {
                  sentAt.add(System.nanoTime());
                  calls.add(world.http.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
                }
              },
              0,
              1_000_000 / (3 * limit),
              TimeUnit.MICROSECONDS);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> calls.size() >= total);
      task.cancel(false);
      sender.shutdown();
      int admitted = 0;
      int limited = 0;
      for (var call : calls) {
        int status = call.get().statusCode();
        if (status == 200) {
          admitted++;
        } else if (status == 429) {
          limited++;
        }
      }
      assertThat(admitted + limited).isEqualTo(total);
      double seconds = (sentAt.get(sentAt.size() - 1) - sentAt.get(0)) / 1e9;
      double burst = ProjectLimiter.capacity(limit);
      double rate = (admitted - burst) / seconds;
      System.out.printf(
          "rate-limit http: limit=%d/s offered=%d over %.2fs admitted=%d limited=%d rate=%.2f/s%n",
          limit, total, seconds, admitted, limited, rate);
      assertThat(rate).isBetween(limit * 0.95, limit * 1.05);
      assertThat(
              world.metric(
                  "dormouse_gateway_ratelimited_total", "endpoint=metered", "limit=requests"))
          .isEqualTo(limited);
    }
  }
}
