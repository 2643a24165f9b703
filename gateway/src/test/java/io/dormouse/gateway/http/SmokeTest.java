package io.dormouse.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.testing.GatewayWorld;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeTest {

  @Test
  void servesChatCompletionsAndEmbeddingsAndSharesLimitsAcrossGatewayReplicas() throws Exception {
    try (GatewayWorld world = GatewayWorld.start()) {
      String key = servingLlama(world);
      var response = world.post("/v1/chat/completions", key, GatewayWorld.chat("llama", false));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonObject answer = new JsonObject(response.body());
      assertThat(
              answer
                  .getJsonArray("choices")
                  .getJsonObject(0)
                  .getJsonObject("message")
                  .getString("content"))
          .isNotBlank();
      assertThat(answer.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(3);
      assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).hasValue("100");
      assertThat(response.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("10000");
      var stream = world.post("/v1/chat/completions", key, GatewayWorld.chat("llama", true));
      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(GatewayWorld.contents(stream.body())).hasSize(3);
      assertThat(stream.body()).contains("[DONE]").doesNotContain("\"usage\"");
      var embedding =
          world.post("/v1/embeddings", key, "{\"model\":\"llama\",\"input\":\"hello\"}");
      assertThat(embedding.statusCode()).isEqualTo(200);
      assertThat(embedding.body()).contains("\"embedding\"");

      // two ready gateway replicas behind its Service, neither reachable as a peer (the slice
      // lists no management port): each falls back to half of every limit, while the headers
      // still state the project's cluster-wide limit
      world
          .client
          .resource(
              new EndpointSliceBuilder()
                  .withNewMetadata()
                  .withName("dormouse-gateway-abc")
                  .withNamespace(GatewayWorld.GATEWAY_NS)
                  .addToLabels("kubernetes.io/service-name", "dormouse-gateway")
                  .endMetadata()
                  .withAddressType("IPv4")
                  .addNewPort()
                  .withName("http")
                  .withPort(8080)
                  .endPort()
                  .addNewEndpoint()
                  .withAddresses("10.1.0.1")
                  .withNewConditions()
                  .withReady(true)
                  .endConditions()
                  .endEndpoint()
                  .addNewEndpoint()
                  .withAddresses("10.1.0.2")
                  .withNewConditions()
                  .withReady(true)
                  .endConditions()
                  .endEndpoint()
                  .build())
          .create();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                var headers =
                    world
                        .post("/v1/chat/completions", key, GatewayWorld.chat("llama", false))
                        .headers();
                return headers.firstValue("x-ratelimit-limit-requests").orElse("").equals("100")
                    && Long.parseLong(
                            headers.firstValue("x-ratelimit-remaining-requests").orElse("100"))
                        < 50;
              });
      var tokens =
          world.post("/v1/chat/completions", key, GatewayWorld.chat("llama", false)).headers();
      assertThat(tokens.firstValue("x-ratelimit-limit-tokens")).hasValue("10000");
      assertThat(Long.parseLong(tokens.firstValue("x-ratelimit-remaining-tokens").orElse("0")))
          .isLessThanOrEqualTo(5000);
    }
  }

  @Test
  void aJsonAnswerKeepsTheEnginesLengthAndAStreamIsChunked() throws Exception {
    try (GatewayWorld world = GatewayWorld.start()) {
      String key = servingLlama(world);
      var json = world.post("/v1/chat/completions", key, GatewayWorld.chat("llama", false));
      assertThat(json.statusCode()).isEqualTo(200);
      assertThat(json.headers().firstValue("content-length"))
          .hasValue(String.valueOf(json.body().getBytes(StandardCharsets.UTF_8).length));
      assertThat(json.headers().firstValue("transfer-encoding")).isEmpty();
      // the gateway drops the usage chunk it asked for, so the engine's length would not hold
      var stream = world.post("/v1/chat/completions", key, GatewayWorld.chat("llama", true));
      assertThat(stream.headers().firstValue("content-length")).isEmpty();
      assertThat(stream.headers().firstValue("transfer-encoding")).hasValue("chunked");
    }
  }

  /** A Ready endpoint "llama" with a ready engine, and a key the gateway accepts for it. */
  private static String servingLlama(GatewayWorld world) {
    String key = world.key("alpha");
    world.endpoint("llama", Phase.Ready, ie -> {});
    world.ready("llama");
    world.awaitModel(key, "llama", Phase.Ready);
    return key;
  }
}
