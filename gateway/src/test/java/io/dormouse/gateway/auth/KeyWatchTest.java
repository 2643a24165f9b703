package io.dormouse.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.testing.GatewayWorld;
import io.fabric8.kubernetes.api.model.Secret;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Keys come and go with their Secrets, within seconds. */
class KeyWatchTest {

  @Test
  void aNewKeyWorksAndADeletedOneStops() throws Exception {
    try (GatewayWorld world = GatewayWorld.start()) {
      world.endpoint("llama", Phase.Ready, ie -> {});
      world.endpoint("secret-model", Phase.Hibernated, ie -> {}, "alpha");
      world.endpoint("other", Phase.Ready, ie -> {}, "beta");
      world.ready("llama");
      ApiKey key = ApiKeys.mint();
      assertThat(world.get("/v1/models", key.secret()).statusCode()).isEqualTo(401);
      Secret secret =
          world
              .client
              .resource(KeySecrets.secretFor(key, "alpha", GatewayWorld.GATEWAY_NS))
              .create();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> world.get("/v1/models", key.secret()).statusCode() == 200);
      world.awaitModel(key.secret(), "secret-model", Phase.Hibernated);
      JsonObject models = new JsonObject(world.get("/v1/models", key.secret()).body());
      assertThat(models.getJsonArray("data").stream().map(m -> ((JsonObject) m).getString("id")))
          .containsExactlyInAnyOrder("llama", "secret-model");
      assertThat(
              world
                  .post("/v1/chat/completions", key.secret(), GatewayWorld.chat("llama", false))
                  .statusCode())
          .isEqualTo(200);

      world.client.resource(secret).delete();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> world.get("/v1/models", key.secret()).statusCode() == 401);
      assertThat(
              world
                  .post("/v1/chat/completions", key.secret(), GatewayWorld.chat("llama", false))
                  .statusCode())
          .isEqualTo(401);
    }
  }
}
