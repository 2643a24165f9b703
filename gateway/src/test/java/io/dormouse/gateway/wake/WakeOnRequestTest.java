package io.dormouse.gateway.wake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.gateway.testing.GatewayWorld;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests to a sleeping endpoint wait for it, signal it once, and are released as it wakes. */
class WakeOnRequestTest {

  static GatewayWorld world;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    world =
        GatewayWorld.start(
            s ->
                s.leaseRenewEvery(Duration.ofHours(1))
                    .heartbeatAfter(Duration.ofMillis(300))
                    .heartbeatEvery(Duration.ofMillis(300)));
    key = world.key("alpha");
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  private static CompletableFuture<HttpResponse<String>> postAsync(String body) {
    return world.http.sendAsync(
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(world.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(120))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + key)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double waiting(String endpoint) throws Exception {
    return world.metric("dormouse_gateway_queue_depth", "endpoint=" + endpoint);
  }

  @Test
  void twoHundredConcurrentRequestsWakeTheEndpointOnceAndAllAreServedOnceItIsReady()
      throws Exception {
    world.endpoint(
        "sleepy",
        Phase.Hibernated,
        ie -> {
          ie.getSpec().getLimits().setMaxConcurrentRequestsPerReplica(50);
          ie.getSpec().getLimits().setRequestsPerSecond(1000);
        });
    world.awaitModel(key, "sleepy", Phase.Hibernated);
    // each answer takes 20 ms, so the released requests overlap at the engine
    var engine = world.engine("sleepy", e -> e.timeToFirstToken(Duration.ofMillis(20)));
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(postAsync(GatewayWorld.chat("sleepy", false)));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> waiting("sleepy") == 200);
    String lease = Wiring.activityLeaseName("sleepy");
    await().atMost(Duration.ofSeconds(20)).until(() -> world.lease("sleepy") != null);
    assertThat(world.lease("sleepy").getSpec().getRenewTime()).isNotNull();
    assertThat(engine.requests()).isZero(); // nothing forwarded yet
    assertThat(world.dispatcher.writes(lease)).isEqualTo(1);

    world.ready("sleepy");
    List<Integer> statuses = new ArrayList<>();
    for (var call : calls) {
      statuses.add(call.get().statusCode());
    }
    assertThat(statuses).hasSize(200).containsOnly(200);
    assertThat(engine.requests()).isEqualTo(200);
    assertThat(engine.sim.peakInFlight())
        .isBetween(2, 50); // released at the cap's pace, yet more than one at a time
    assertThat(world.dispatcher.writes(lease)).isEqualTo(1);
    assertThat(world.metric("dormouse_gateway_wake_wait_seconds_count", "endpoint=sleepy"))
        .isEqualTo(200);
  }

  @Test
  void theNextWakeIsSignalledAtOnceLikeTheFirst() throws Exception {
    world.endpoint("twice", Phase.Hibernated, ie -> {});
    world.awaitModel(key, "twice", Phase.Hibernated);
    String lease = Wiring.activityLeaseName("twice");
    var first = postAsync(GatewayWorld.chat("twice", false));
    await().atMost(Duration.ofSeconds(20)).until(() -> world.dispatcher.writes(lease) == 1);
    world.ready("twice");
    assertThat(first.get().statusCode()).isEqualTo(200);

    world.notReady("twice"); // it hibernated: its engine's address is no longer ready
    var second = postUntilOneWaits("twice");
    // one write for this wake too, at once: not after a wait has already run into its timeout
    await().atMost(Duration.ofSeconds(20)).until(() -> world.dispatcher.writes(lease) == 2);
    world.ready("twice");
    assertThat(second.get().statusCode()).isEqualTo(200);
    assertThat(world.dispatcher.writes(lease)).isEqualTo(2);
  }

  @Test
  void afterAFailedWakeTheQueueIsEmptyAndTheNextRequestSignalsANewWake() throws Exception {
    world.endpoint("retried", Phase.Waking, ie -> {});
    world.awaitModel(key, "retried", Phase.Waking);
    String lease = Wiring.activityLeaseName("retried");
    var first = postAsync(GatewayWorld.chat("retried", false));
    var second = postAsync(GatewayWorld.chat("retried", false));
    await().atMost(Duration.ofSeconds(20)).until(() -> waiting("retried") == 2);
    assertThat(world.dispatcher.writes(lease)).isEqualTo(1);
    world.phase("retried", Phase.Failed, "no tier has room");
    assertThat(first.get().statusCode()).isEqualTo(503);
    assertThat(second.get().statusCode()).isEqualTo(503);
    assertThat(waiting("retried")).isZero();

    world.phase("retried", Phase.Hibernated, null); // the spec changed: the operator may try again
    world.awaitModel(key, "retried", Phase.Hibernated);
    var third = postAsync(GatewayWorld.chat("retried", false));
    await().atMost(Duration.ofSeconds(20)).until(() -> waiting("retried") == 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> world.dispatcher.writes(lease) == 2);
    world.ready("retried");
    assertThat(third.get().statusCode()).isEqualTo(200);
  }

  /**
   * Sends requests until one waits, which tells that the gateway saw the endpoint's backends go;
   * those sent before that are served. Returns the one that waits.
   */
  private static CompletableFuture<HttpResponse<String>> postUntilOneWaits(String endpoint)
      throws Exception {
    for (int i = 0; i < 100; i++) {
      var call = postAsync(GatewayWorld.chat(endpoint, false));
      await().atMost(Duration.ofSeconds(20)).until(() -> call.isDone() || waiting(endpoint) == 1);
      if (!call.isDone()) {
        return call;
      }
      assertThat(call.get().statusCode()).isEqualTo(200);
    }
    throw new AssertionError("the gateway never saw " + endpoint + " lose its backends");
  }

  @Test
  void aWakeThatTakesTooLongAnswers504ThatSdksDoNotRetry() throws Exception {
    world.endpoint("slow", Phase.Waking, ie -> ie.getSpec().getScaling().setWakeTimeout("1s"));
    world.awaitModel(key, "slow", Phase.Waking);
    var response = world.post("/v1/chat/completions", key, GatewayWorld.chat("slow", false));
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.headers().firstValue("x-should-retry")).hasValue("false");
    assertThat(response.headers().firstValue("Retry-After"))
        .as("one story: do not retry, so no Retry-After")
        .isEmpty();
    assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).isPresent();
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("wake_timeout");
    assertThat(error.getString("type")).isEqualTo("timeout");
    assertThat(error.getString("message")).contains("slow");
    assertThat(error.containsKey("param")).isTrue();
    assertThat(waiting("slow")).isZero();
  }

  @Test
  void aWaitingStreamGetsHeartbeatsThenATerminatingErrorEvent() throws Exception {
    world.endpoint(
        "drowsy", Phase.Waking, ie -> ie.getSpec().getScaling().setWakeTimeout("1500ms"));
    world.awaitModel(key, "drowsy", Phase.Waking);
    var response = world.post("/v1/chat/completions", key, GatewayWorld.chat("drowsy", true));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(response.body()).startsWith(": waiting").contains("\"code\":\"wake_timeout\"");
  }

  @Test
  void aFailedEndpointAnswers503AtOnceWithItsReason() throws Exception {
    world.endpoint("broken", Phase.Failed, ie -> {});
    world.phase("broken", Phase.Failed, "every tier failed: gpu-a ImagePullBackOff");
    world.awaitModel(key, "broken", Phase.Failed);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                world
                    .post("/v1/chat/completions", key, GatewayWorld.chat("broken", false))
                    .body()
                    .contains("ImagePullBackOff"));
    var response = world.post("/v1/chat/completions", key, GatewayWorld.chat("broken", false));
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code"))
        .isEqualTo("endpoint_failed");
    assertThat(response.headers().firstValue("x-should-retry")).hasValue("false");
    assertThat(response.headers().firstValue("Retry-After")).isEmpty();
  }

  @Test
  void waitersFailAtOnceWhenTheWakeFails() throws Exception {
    world.endpoint("doomed", Phase.Waking, ie -> {});
    world.awaitModel(key, "doomed", Phase.Waking);
    var call = postAsync(GatewayWorld.chat("doomed", false));
    await().atMost(Duration.ofSeconds(20)).until(() -> waiting("doomed") == 1);
    world.phase("doomed", Phase.Failed, "no tier has room");
    var response = call.get();
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("no tier has room").contains("endpoint_failed");
    assertThat(response.headers().firstValue("x-should-retry"))
        .as("the same story as a request arriving after the failure")
        .hasValue("false");
    assertThat(response.headers().firstValue("Retry-After")).isEmpty();
  }

  @Test
  void aClientThatGoesAwayLeavesTheQueue() throws Exception {
    world.endpoint("nap", Phase.Hibernated, ie -> {});
    world.awaitModel(key, "nap", Phase.Hibernated);
    byte[] body = GatewayWorld.chat("nap", false).getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", world.gateway.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Authorization: Bearer "
                  + key
                  + "\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      await().atMost(Duration.ofSeconds(20)).until(() -> waiting("nap") == 1);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> waiting("nap") == 0);
    world.ready("nap");
    var response = world.post("/v1/chat/completions", key, GatewayWorld.chat("nap", false));
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void beyondTheWaitQueueRequestsAreTurnedAwayWithRetryAfter() throws Exception {
    world.endpoint(
        "crowded", Phase.Hibernated, ie -> ie.getSpec().getLimits().setMaxWaitingRequests(2));
    world.awaitModel(key, "crowded", Phase.Hibernated);
    var first = postAsync(GatewayWorld.chat("crowded", false));
    var second = postAsync(GatewayWorld.chat("crowded", false));
    await().atMost(Duration.ofSeconds(20)).until(() -> waiting("crowded") == 2);
    var third = world.post("/v1/chat/completions", key, GatewayWorld.chat("crowded", false));
    assertThat(third.statusCode()).isEqualTo(503);
    assertThat(third.headers().firstValue("Retry-After")).isPresent();
    assertThat(third.body()).contains("queue_full");
    world.ready("crowded");
    assertThat(first.get().statusCode()).isEqualTo(200);
    assertThat(second.get().statusCode()).isEqualTo(200);
  }

  @Test
  void aSaturatedEndpointHoldsRequestsWithinTheCapAndTimesOutAsAQueueTimeout() throws Exception {
    world.endpoint(
        "busy",
        Phase.Ready,
        ie -> {
          ie.getSpec().getLimits().setMaxConcurrentRequestsPerReplica(1);
          ie.getSpec().getScaling().setWakeTimeout("1s");
        });
    // every answer takes 3 s: the one slot stays taken past the next request's 1 s wait
    var engine = world.engine("busy", e -> e.timeToFirstToken(Duration.ofSeconds(3)));
    world.ready("busy");
    world.awaitModel(key, "busy", Phase.Ready);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                world
                        .post("/v1/chat/completions", key, GatewayWorld.chat("busy", false))
                        .statusCode()
                    == 200);
    int before = engine.requests();
    var first = postAsync(GatewayWorld.chat("busy", false));
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.requests() == before + 1);
    var second = world.post("/v1/chat/completions", key, GatewayWorld.chat("busy", false));
    assertThat(second.statusCode()).isEqualTo(504);
    assertThat(second.body()).contains("queue_timeout");
    assertThat(engine.requests()).isEqualTo(before + 1); // the cap of one held
    assertThat(first.get().statusCode()).isEqualTo(200);
    assertThat(world.dispatcher.writes(Wiring.activityLeaseName("busy"))).isLessThanOrEqualTo(1);
  }

  @Test
  void unauthenticatedRequestsNeverWakeAnything() throws Exception {
    world.endpoint("guarded", Phase.Hibernated, ie -> {});
    world.awaitModel(key, "guarded", Phase.Hibernated);
    for (String bad :
        new String[] {null, "nope", io.dormouse.gateway.auth.ApiKeys.mint().secret()}) {
      var r = world.post("/v1/chat/completions", bad, GatewayWorld.chat("guarded", false));
      assertThat(r.statusCode()).isEqualTo(401);
    }
    assertThat(world.dispatcher.writes(Wiring.activityLeaseName("guarded"))).isZero();
    assertThat(waiting("guarded")).isZero();
  }
}
