package io.dormouse.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.gateway.testing.GatewayWorld;
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
      world.ready("chatty");
      world.awaitModel(key, "chatty", Phase.Ready);
      world.engine.chunks = 12;
      world.engine.chunkGapMillis = 300;
      String lease = Wiring.activityLeaseName("chatty");
      ZonedDateTime started = ZonedDateTime.now();
      var response = world.post("/v1/chat/completions", key, GatewayWorld.chat("chatty", true));
      assertThat(response.body()).contains("tok11");
      // a 3.6 s stream with renewals due every 0.5 s (checked each second): several writes
      await().atMost(Duration.ofSeconds(10)).until(() -> world.dispatcher.writes(lease) >= 3);
      ZonedDateTime renewed = world.lease("chatty").getSpec().getRenewTime();
      // renewed late in the stream, not just when it began (it runs at least 3.6 s)
      assertThat(renewed).isAfter(started.plusSeconds(2));
      assertThat(world.lease("chatty").getSpec().getHolderIdentity()).isEqualTo("gateway-test");
    }
  }
}
