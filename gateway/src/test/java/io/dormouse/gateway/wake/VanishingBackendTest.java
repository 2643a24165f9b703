package io.dormouse.gateway.wake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.testing.GatewayWorld;
import io.dormouse.gateway.testing.MutableClock;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An engine that stops listening before its slice says it is going (a reclaimed spot node, a pod
 * killed before its endpoint turned terminating) costs no request: each one goes elsewhere, or
 * waits for a ready backend, within its deadline.
 */
class VanishingBackendTest {

  static GatewayWorld world;
  static String key;
  static VanishedEngine vanished;

  @BeforeAll
  static void start() throws Exception {
    // a clock that stands still: a quarantine lasts the whole test, however slow the machine
    world = GatewayWorld.start(s -> s.clock(MutableClock.atEpoch()));
    key = world.key("alpha");
    vanished = new VanishedEngine();
  }

  @AfterAll
  static void stop() throws IOException {
    vanished.close();
    world.close();
  }

  @Test
  void requestsThatMeetAVanishedReplicaAreServedByTheOtherOne() throws Exception {
    world.endpoint("pair", Phase.Ready, ie -> {});
    world.ready("pair");
    world.client.resource(vanishedSlice("pair")).createOr(r -> r.update());
    world.awaitModel(key, "pair", Phase.Ready);
    int before = vanished.accepted.get();
    for (int i = 0; i < 20; i++) {
      var r = world.post("/v1/chat/completions", key, GatewayWorld.chat("pair", false));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    assertThat(vanished.accepted.get() - before)
        .as("the vanished replica was tried once, then passed over while quarantined")
        .isEqualTo(1);
  }

  @Test
  void aRequestWhoseOnlyReplicaVanishedIsHeldUntilAnotherIsReady() throws Exception {
    world.endpoint("lone", Phase.Ready, ie -> {});
    EndpointSlice onlyVanished = vanishedSlice("lone");
    world.client.resource(onlyVanished).createOr(r -> r.update());
    world.awaitModel(key, "lone", Phase.Ready);
    int before = vanished.accepted.get();
    CompletableFuture<HttpResponse<String>> answer = postInBackground("lone");
    await().atMost(Duration.ofSeconds(10)).until(() -> vanished.accepted.get() > before);
    // the cluster catches up: the old pod's slice goes, a new pod's slice comes
    world.client.resource(onlyVanished).delete();
    world.ready("lone");
    HttpResponse<String> r = answer.get(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"chat.completion\"");
  }

  @Test
  void aRequestWaitingToRetryIsAnsweredNotFoundWhenItsEndpointIsDeleted() throws Exception {
    world.endpoint("doomed", Phase.Ready, ie -> {});
    world.client.resource(vanishedSlice("doomed")).createOr(r -> r.update());
    world.awaitModel(key, "doomed", Phase.Ready);
    int before = vanished.accepted.get();
    CompletableFuture<HttpResponse<String>> answer = postInBackground("doomed");
    await().atMost(Duration.ofSeconds(10)).until(() -> vanished.accepted.get() > before);
    world
        .client
        .resources(InferenceEndpoint.class)
        .inNamespace(GatewayWorld.NS)
        .withName("doomed")
        .delete();
    HttpResponse<String> r = answer.get(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
    assertThat(r.body()).contains("model_not_found");
  }

  /** Sends a chat request for {@code model} on another thread; the future holds its answer. */
  private static CompletableFuture<HttpResponse<String>> postInBackground(String model) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return world.post("/v1/chat/completions", key, GatewayWorld.chat(model, false));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /**
   * A second slice of the endpoint's engine Service whose one ready address is the vanished one.
   */
  private static EndpointSlice vanishedSlice(String endpoint) {
    EndpointSlice slice = world.slice(endpoint, true);
    slice.getMetadata().setName(slice.getMetadata().getName() + "-gone");
    slice.getPorts().get(0).setPort(vanished.port());
    return slice;
  }

  /** Accepts connections and closes them at once, unread, as a dying engine does. */
  static final class VanishedEngine implements AutoCloseable {
    final AtomicInteger accepted = new AtomicInteger();
    private final ServerSocket server;

    VanishedEngine() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread t =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try (Socket s = server.accept()) {
                    accepted.incrementAndGet();
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "vanished-engine");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
