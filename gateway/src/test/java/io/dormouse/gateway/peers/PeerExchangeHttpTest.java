package io.dormouse.gateway.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.cluster.PeerCodec;
import io.dormouse.gateway.cluster.PeerState;
import io.dormouse.gateway.testing.GatewayWorld;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The peer exchange takes only authenticated, well-formed messages, and never falls over. */
class PeerExchangeHttpTest {

  static final String SECRET = "s3cret-shared-by-the-replicas";
  static GatewayWorld world;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    world = GatewayWorld.start(s -> s.peerSecret(SECRET));
    key = world.key("alpha");
    world.endpoint("llama", Phase.Ready, ie -> {});
    world.ready("llama");
    world.awaitModel(key, "llama", Phase.Ready);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  static HttpResponse<String> post(String authorization, byte[] body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + world.gateway.managementPort() + "/peer/v1/state"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return world.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static byte[] valid() {
    return PeerCodec.encode(
        new PeerState(
            "gateway-peer",
            1,
            List.of("gateway-peer", "gateway-test"),
            false,
            List.of(new PeerState.LimitDemand("alpha", "team-a/llama", 5, 50, 1, 10)),
            Map.of("team-a/llama", 1),
            Map.of()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "Bearer ", "Bearer wrong", "Basic czNjcmV0", "s3cret-shared-by-the-replicas"})
  void aMessageWithoutTheSharedSecretIsRefused(String authorization) throws Exception {
    var response = post(authorization.isEmpty() ? null : authorization, valid());
    assertThat(response.statusCode()).isEqualTo(401);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "[]",
        "null",
        "{\"id\":\"x\"}",
        "{\"id\":\"x\",\"epoch\":1,\"members\":[\"y\"],\"limits\":[],\"slotDemand\":{},\"claims\":{}}",
        "{\"id\":\"x\",\"epoch\":1,\"members\":[\"x\"],\"limits\":[{}],\"slotDemand\":{},\"claims\":{}}"
      })
  void aMalformedMessageIsRefusedAndChangesNothing(String body) throws Exception {
    var response = post("Bearer " + SECRET, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isNotBlank();
  }

  @Test
  void aWellFormedMessageIsTakenAndTheGatewayGoesOnServing() throws Exception {
    assertThat(post("Bearer " + SECRET, valid()).statusCode()).isEqualTo(204);
    assertThat(post("Bearer " + SECRET, new byte[PeerCodec.MAX_BYTES + 10]).statusCode())
        .isEqualTo(413);
    var answer = world.post("/v1/chat/completions", key, GatewayWorld.chat("llama", false));
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("x-ratelimit-limit-requests")).hasValue("100");
    var ready =
        world.http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + world.gateway.managementPort() + "/readyz"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
  }

  @Test
  void thePublicApiPortDoesNotCarryThePeerExchange() throws Exception {
    var response =
        world.http.send(
            HttpRequest.newBuilder(URI.create(world.baseUrl() + "/peer/v1/state"))
                .header("Authorization", "Bearer " + SECRET)
                .POST(HttpRequest.BodyPublishers.ofByteArray(valid()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);
  }
}
