package io.dormouse.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.testing.GatewayWorld;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The management port, and a graceful shutdown that lets streams finish. */
class LifecycleTest {

  private static HttpResponse<String> management(GatewayWorld world, String path) throws Exception {
    return world.http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + world.gateway.managementPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shutdownStopsTakingRequestsAndLetsInFlightStreamsFinish() throws Exception {
    try (GatewayWorld world = GatewayWorld.start(s -> s.shutdownGrace(Duration.ofSeconds(30)))) {
      String key = world.key("alpha");
      world.endpoint("llama", Phase.Ready, ie -> {});
      var engine = world.engine("llama", e -> e.tokensPerSecond(4)); // 8 tokens: a 2 s stream
      world.ready("llama");
      world.awaitModel(key, "llama", Phase.Ready);
      assertThat(management(world, "/livez").statusCode()).isEqualTo(200);
      assertThat(management(world, "/readyz").statusCode()).isEqualTo(200);
      world.post("/v1/chat/completions", key, GatewayWorld.chat("llama", false));
      assertThat(management(world, "/metrics").body())
          .contains(
              "dormouse_gateway_requests_total{code=\"200\",endpoint=\"llama\",namespace=\"team-a\",project=\"alpha\"}")
          .contains("dormouse_gateway_request_duration_seconds_bucket")
          .contains("dormouse_gateway_tokens_total")
          .contains("dormouse_gateway_queue_depth");

      int before = engine.requests();
      CompletableFuture<HttpResponse<String>> stream =
          world.http.sendAsync(
              HttpRequest.newBuilder(URI.create(world.baseUrl() + "/v1/chat/completions"))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(GatewayWorld.chat("llama", true, 8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.requests() > before);
      CompletableFuture<Void> closing = CompletableFuture.runAsync(world.gateway::close);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> management(world, "/readyz").statusCode() == 503);
      var refused = world.post("/v1/chat/completions", key, GatewayWorld.chat("llama", false));
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("shutting_down");
      var finished = stream.get();
      assertThat(finished.statusCode()).isEqualTo(200);
      assertThat(GatewayWorld.contents(finished.body())).hasSize(8);
      assertThat(finished.body()).endsWith("data: [DONE]\n\n");
      closing.get();
    }
  }
}
