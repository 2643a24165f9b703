package io.dormouse.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.gateway.testing.GatewayWorld;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** While a stream is in flight the Lease keeps being renewed, so idle time counts from its end. */
class ActivityLeaseTest {

  @Test
  void aLongStreamKeepsTheLeaseFreshAndTheLastRenewalFollowsTheStart() throws Exception {
    try (GatewayWorld world = GatewayWorld.start(s -> s.leaseRenewEvery(Duration.ofMillis(500)))) {
      String key = world.key("alpha");
      world.endpoint("chatty", Phase.Ready, ie -> {});
      world.engine("chatty", e -> e.tokensPerSecond(10.0 / 3)); // 12 tokens in 3.3 s or more
      world.ready("chatty");
      world.awaitModel(key, "chatty", Phase.Ready);
      String lease = Wiring.activityLeaseName("chatty");
      ZonedDateTime started = ZonedDateTime.now();
      var response = world.post("/v1/chat/completions", key, GatewayWorld.chat("chatty", true, 12));
      assertThat(GatewayWorld.contents(response.body())).hasSize(12);
      // a 3.3 s stream with renewals due every 0.5 s (checked each second): several writes
      await().atMost(Duration.ofSeconds(10)).until(() -> world.dispatcher.writes(lease) >= 3);
      ZonedDateTime renewed = world.lease("chatty").getSpec().getRenewTime();
      // renewed late in the stream, not just when it began (it runs at least 3.3 s)
      assertThat(renewed).isAfter(started.plusSeconds(2));
      assertThat(world.lease("chatty").getSpec().getHolderIdentity()).isEqualTo("gateway-test");
    }
  }

  @Test
  void afterAWakeRenewalsResumeWhileTheStreamRunsAndStopOnceItEnds() throws Exception {
    try (GatewayWorld world = GatewayWorld.start(s -> s.leaseRenewEvery(Duration.ofMillis(500)))) {
      String key = world.key("alpha");
      world.endpoint("dozy", Phase.Hibernated, ie -> {});
      world.engine("dozy", e -> e.tokensPerSecond(3)); // 12 tokens: a 3.7 s stream
      world.awaitModel(key, "dozy", Phase.Hibernated);
      String lease = Wiring.activityLeaseName("dozy");
      var stream =
          world.http.sendAsync(
              HttpRequest.newBuilder(URI.create(world.baseUrl() + "/v1/chat/completions"))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(GatewayWorld.chat("dozy", true, 12)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      await().atMost(Duration.ofSeconds(20)).until(() -> world.dispatcher.writes(lease) == 1);
      world.ready("dozy"); // the wake is over; the stream runs
      await().atMost(Duration.ofSeconds(20)).until(() -> world.engine("dozy").sim.inFlight() == 1);
      // renewed while it streams (due every 0.5 s, checked each second), not only at the wake
      await().atMost(Duration.ofSeconds(20)).until(() -> world.dispatcher.writes(lease) >= 3);
      assertThat(GatewayWorld.contents(stream.get().body())).hasSize(12);
      int atTheEnd = world.dispatcher.writes(lease);
      // nothing in flight and nothing new: no more renewals (one may have been on its way)
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(() -> world.dispatcher.writes(lease) <= atTheEnd + 1);
    }
  }
}
