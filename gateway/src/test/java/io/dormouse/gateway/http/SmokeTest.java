package io.dormouse.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.testing.GatewayWorld;
import org.junit.jupiter.api.Test;

class SmokeTest {

  @Test
  void servesAChatCompletion() throws Exception {
    try (GatewayWorld world = GatewayWorld.start()) {
      String key = world.key("alpha");
      world.endpoint("llama", Phase.Ready, ie -> {});
      world.ready("llama");
      world.awaitModel(key, "llama", Phase.Ready);
      var response = world.post("/v1/chat/completions", key, GatewayWorld.chat("llama", false));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).contains("tok0");
      assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).hasValue("100");
      var stream = world.post("/v1/chat/completions", key, GatewayWorld.chat("llama", true));
      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(stream.body()).contains("tok2").contains("[DONE]").doesNotContain("\"usage\"");
    }
  }
}
