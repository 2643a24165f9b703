package io.dormouse.gateway.wake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.gateway.testing.GatewayWorld;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A thousand cold requests spread over every event loop are one wake: one Lease write. */
class ThousandColdRequestsTest {

  @Test
  void aThousandColdRequestsOnFourEventLoopsWriteTheLeaseOnceAndAreAllServed() throws Exception {
    try (GatewayWorld world =
        GatewayWorld.start(s -> s.eventLoops(4).leaseRenewEvery(Duration.ofHours(1)))) {
      String key = world.key("alpha");
      world.endpoint(
          "cold",
          Phase.Hibernated,
          ie -> {
            ie.getSpec().getLimits().setRequestsPerSecond(100_000);
            ie.getSpec().getLimits().setTokensPerSecond(100_000_000);
            ie.getSpec().getLimits().setMaxConcurrentRequestsPerReplica(100);
          });
      world.awaitModel(key, "cold", Phase.Hibernated);
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(30))
              .build();
      List<CompletableFuture<HttpResponse<Void>>> calls = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        calls.add(
            http.sendAsync(
                HttpRequest.newBuilder(URI.create(world.baseUrl() + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.ofString(GatewayWorld.chat("cold", false)))
                    .build(),
                HttpResponse.BodyHandlers.discarding()));
      }
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> world.metric("dormouse_gateway_queue_depth", "endpoint=cold") == 1000);
      String lease = Wiring.activityLeaseName("cold");
      await().atMost(Duration.ofSeconds(20)).until(() -> world.dispatcher.writes(lease) >= 1);
      world.ready("cold");
      for (var call : calls) {
        assertThat(call.get().statusCode()).isEqualTo(200);
      }
      assertThat(world.dispatcher.writes(lease)).isEqualTo(1);
    }
  }
}
