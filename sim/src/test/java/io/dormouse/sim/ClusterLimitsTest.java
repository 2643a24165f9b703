package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.auth.ApiKey;
import io.dormouse.sim.cluster.NodePool;
import io.dormouse.sim.engine.EngineSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits that hold across three gateway replicas sharing them over the peer exchange: one client on
 * one keep-alive connection gets the project's whole limit, a skewed split adds up to the limit, a
 * replica stopped mid-run neither lets the total overshoot nor holds it down for long, for requests
 * and for tokens alike; and no engine replica ever sees more than its cap of concurrent requests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterLimitsTest {

  private static final Duration BOUND = Duration.ofSeconds(120);
  private static final String NS = "team-a";
  private static final int REQUESTS_PER_SECOND = 20;
  private static final int TOKENS_PER_SECOND = 2000;
  private static final int COMPLETION = 200;

  /** Engines that answer at once, so one connection can offer twice the limit. */
  private static final String INSTANT =
      "      - {name: DORMOUSE_SIM_TTFT, value: 0ms}\n      - {name: DORMOUSE_SIM_TPS, value: \"0\"}";

  @TempDir static Path dir;
  static SimWorld world;
  static ApiKey key;

  static String endpoint(String name, String limits, String env) {
    return """
        apiVersion: dormouse.io/v1alpha1
        kind: InferenceEndpoint
        metadata:
          name: %s
          namespace: team-a
        spec:
          model:
            name: meta-llama/Meta-Llama-3-8B-Instruct
          engine:
            env:
              - {name: DORMOUSE_SIM_STARTUP, value: 1s}
        %s
          replicas: 2
          tiers: [gpu]
          scaling:
            alwaysOn: true
            wakeTimeout: 60s
          limits:
        %s
          access:
            projects: [search]
        """
        .formatted(name, env, limits);
  }

  @BeforeAll
  static void start() {
    world =
        SimWorld.start(
            new SimWorld.Settings()
                .workDir(dir)
                .namespaces(List.of(NS))
                .preStopDelay(Duration.ofSeconds(1))
                .gatewayReplicas(3)
                .gateway(b -> b.eventLoops(1))
                .pool("gpu", new NodePool(1, 8)));
    world.apply(
        """
        apiVersion: dormouse.io/v1alpha1
        kind: GpuTier
        metadata:
          name: gpu
        spec:
          capacityType: on-demand
          nodeSelector: {sim.dormouse.io/capacity: gpu}
        """);
    key = world.mintKey("search");
    world.apply(
        endpoint(
            "requests",
            "    requestsPerSecond: %d\n    tokensPerSecond: 100000000"
                .formatted(REQUESTS_PER_SECOND),
            ""));
    world.apply(
        endpoint(
            "tokens",
            "    requestsPerSecond: 100000\n    tokensPerSecond: %d".formatted(TOKENS_PER_SECOND),
            INSTANT));
    world.apply(
        endpoint(
            "capped",
            "    maxConcurrentRequestsPerReplica: 3\n    requestsPerSecond: 100000",
            "      - {name: DORMOUSE_SIM_TTFT, value: 150ms}"));
    for (String model : List.of("requests", "tokens", "capped")) {
      await().ignoreExceptions().atMost(BOUND).until(() -> phase(model) == Phase.Ready);
      for (int g = 0; g < world.gatewayReplicas(); g++) {
        int replica = g;
        await()
            .ignoreExceptions()
            .atMost(BOUND)
            .until(() -> send(HttpClient.newHttpClient(), replica, model).status() == 200);
      }
    }
    warmUp();
  }

  /** A few seconds of traffic through every replica first: the JIT compiles the whole path. */
  static void warmUp() {
    long end = System.nanoTime() + 6 * SECOND;
    List<CompletableFuture<List<Answer>>> clients = new ArrayList<>();
    for (int g = 0; g < 3; g++) {
      clients.add(client("requests", g, REQUESTS_PER_SECOND, end, g, Long.MAX_VALUE));
      clients.add(client("tokens", g, 10, end, g, Long.MAX_VALUE));
    }
    run(clients);
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  private static Phase phase(String name) {
    InferenceEndpoint ie =
        world.client().resources(InferenceEndpoint.class).inNamespace(NS).withName(name).get();
    return ie == null || ie.getStatus() == null ? null : ie.getStatus().getPhase();
  }

  /** One answer: when it came, its status, the tokens its usage states. */
  record Answer(long atNanos, int status, long tokens, long tookNanos) {}

  static String describe(List<Answer> answers) {
    long ok = answers.stream().filter(a -> a.status() == 200).count();
    long refused = answers.stream().filter(a -> a.status() == 429).count();
    double okMs =
        answers.stream()
                .filter(a -> a.status() == 200)
                .mapToLong(Answer::tookNanos)
                .average()
                .orElse(0)
            / 1e6;
    return "sent %d, 200: %d (%.1f ms avg), 429: %d".formatted(answers.size(), ok, okMs, refused);
  }

  private static final Pattern TOTAL = Pattern.compile("\"total_tokens\":(\\d+)");

  static Answer send(HttpClient http, int replica, String model) throws Exception {
    long sent = System.nanoTime();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(world.gatewayUrl(replica) + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key.secret())
                .header("Content-Type", "application/json")
                .timeout(BOUND)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\""
                            + model
                            + "\",\"max_tokens\":"
                            + COMPLETION
                            + ",\"ignore_eos\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = TOTAL.matcher(r.body());
    long now = System.nanoTime();
    return new Answer(now, r.statusCode(), m.find() ? Long.parseLong(m.group(1)) : 0, now - sent);
  }

  /**
   * A client on one keep-alive connection sending {@code rate} requests per second to a gateway
   * replica (another replica from {@code switchAtNanos} on), until {@code untilNanos}.
   */
  static CompletableFuture<List<Answer>> client(
      String model, int replica, double rate, long untilNanos, int switchTo, long switchAtNanos) {
    return CompletableFuture.supplyAsync(
        () -> {
          HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
          List<Answer> answers = new ArrayList<>();
          long gap = (long) (1e9 / rate);
          long next = System.nanoTime();
          while (System.nanoTime() < untilNanos) {
            long now = System.nanoTime();
            if (now < next) {
              java.util.concurrent.locks.LockSupport.parkNanos(next - now);
              continue;
            }
            next += gap;
            int target = now >= switchAtNanos ? switchTo : replica;
            try {
              answers.add(send(http, target, model));
            } catch (Exception e) {
              answers.add(new Answer(System.nanoTime(), 0, 0, 0));
            }
          }
          return answers;
        });
  }

  static List<Answer> run(List<CompletableFuture<List<Answer>>> clients) {
    List<Answer> all = new ArrayList<>();
    clients.forEach(c -> all.addAll(c.join()));
    return all;
  }

  /** The admitted amount per second between two instants: requests, or tokens. */
  static double rate(List<Answer> answers, long from, long to, boolean tokens) {
    double sum = 0;
    for (Answer a : answers) {
      if (a.status() == 200 && a.atNanos() >= from && a.atNanos() < to) {
        sum += tokens ? a.tokens() : 1;
      }
    }
    return sum / ((to - from) / 1e9);
  }

  static final long SECOND = 1_000_000_000L;

  void oneConnectionGetsTheWholeLimit(String model, double limit, double offered, boolean tokens) {
    long start = System.nanoTime();
    long settle = start + 3 * SECOND;
    long end = settle + 10 * SECOND;
    List<Answer> answers = run(List.of(client(model, 0, offered, end, 0, Long.MAX_VALUE)));
    double admitted = rate(answers, settle, end, tokens);
    System.out.printf(
        "cluster limits: one connection, %s: admitted %.1f/s of %.0f; %s%n",
        model, admitted, limit, describe(answers));
    assertThat(admitted).isBetween(limit * 0.9, limit * 1.1);
  }

  void aSkewedSplitAddsUpToTheLimit(String model, double limit, double offered, boolean tokens) {
    long start = System.nanoTime();
    long settle = start + 3 * SECOND;
    long end = settle + 10 * SECOND;
    List<Answer> answers =
        run(
            List.of(
                client(model, 0, offered * 0.8, end, 0, Long.MAX_VALUE),
                client(model, 1, offered * 0.2, end, 1, Long.MAX_VALUE)));
    double admitted = rate(answers, settle, end, tokens);
    System.out.printf(
        "cluster limits: 80/20, %s: admitted %.1f/s of %.0f; %s%n",
        model, admitted, limit, describe(answers));
    assertThat(admitted).isBetween(limit * 0.9, limit * 1.1);
  }

  /**
   * Clients of both endpoints on all three replicas; one replica stops mid-run and its clients move
   * to the next one.
   */
  void aStoppedReplicaNeitherOvershootsNorHoldsTheTotalDown(int stopped) {
    double perRequest = COMPLETION + 2;
    long start = System.nanoTime();
    long stopAt = start + 6 * SECOND;
    long end = stopAt + 8 * SECOND;
    List<CompletableFuture<List<Answer>>> requests = new ArrayList<>();
    List<CompletableFuture<List<Answer>>> tokens = new ArrayList<>();
    for (int g = 0; g < 3; g++) {
      int after = g == stopped ? (stopped + 1) % 3 : g;
      requests.add(client("requests", g, 2.0 * REQUESTS_PER_SECOND / 3, end, after, stopAt));
      tokens.add(client("tokens", g, 2.0 * TOKENS_PER_SECOND / perRequest / 3, end, after, stopAt));
    }
    CompletableFuture<Void> stop =
        CompletableFuture.runAsync(
            () -> {
              java.util.concurrent.locks.LockSupport.parkNanos(stopAt - System.nanoTime());
              world.stopGateway(stopped);
            });
    List<Answer> requestAnswers = run(requests);
    List<Answer> tokenAnswers = run(tokens);
    stop.join();
    check("requests", requestAnswers, REQUESTS_PER_SECOND, false, start, stopAt, end);
    check("tokens", tokenAnswers, TOKENS_PER_SECOND, true, start, stopAt, end);
  }

  private static void check(
      String model,
      List<Answer> answers,
      double limit,
      boolean tokens,
      long start,
      long stopAt,
      long end) {
    double worst = 0;
    for (long from = start + 2 * SECOND; from + 5 * SECOND <= end; from += SECOND / 4) {
      worst = Math.max(worst, rate(answers, from, from + 5 * SECOND, tokens));
    }
    double after = rate(answers, stopAt + 2 * SECOND, end, tokens);
    System.out.printf(
        "cluster limits: a replica stopped, %s: worst 5 s window %.1f/s, from 2 s after %.1f/s, of %.0f%n",
        model, worst, after, limit);
    assertThat(worst).as(model + " over any 5 s").isLessThanOrEqualTo(limit * 1.1);
    assertThat(after).as(model + " from 2 s after the stop").isBetween(limit * 0.9, limit * 1.1);
  }

  @Test
  @Order(1)
  void requestsPerSecond() {
    oneConnectionGetsTheWholeLimit(
        "requests", REQUESTS_PER_SECOND, 2.0 * REQUESTS_PER_SECOND, false);
    aSkewedSplitAddsUpToTheLimit("requests", REQUESTS_PER_SECOND, 2.0 * REQUESTS_PER_SECOND, false);
  }

  @Test
  @Order(2)
  void tokensPerSecond() {
    double perRequest = COMPLETION + 2;
    double offered = 2.0 * TOKENS_PER_SECOND / perRequest;
    oneConnectionGetsTheWholeLimit("tokens", TOKENS_PER_SECOND, offered, true);
    aSkewedSplitAddsUpToTheLimit("tokens", TOKENS_PER_SECOND, offered, true);
  }

  @Test
  @Order(3)
  void noEngineReplicaSeesMoreThanItsCap() throws Exception {
    List<String> pods =
        world
            .client()
            .pods()
            .inNamespace(NS)
            .withLabel("dormouse.io/endpoint", "capped")
            .list()
            .getItems()
            .stream()
            .map(p -> p.getMetadata().getName())
            .toList();
    assertThat(pods).hasSize(2);
    List<CompletableFuture<HttpResponse<Void>>> calls = new CopyOnWriteArrayList<>();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 24; i++) {
        calls.add(
            http.sendAsync(
                HttpRequest.newBuilder(URI.create(world.gatewayUrl(i % 3) + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + key.secret())
                    .header("Content-Type", "application/json")
                    .timeout(BOUND)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"capped\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                    .build(),
                HttpResponse.BodyHandlers.discarding()));
      }
    }
    for (var call : calls) {
      assertThat(call.get().statusCode()).isEqualTo(200);
    }
    for (String pod : pods) {
      EngineSimulator engine = world.cluster().engine(NS, pod);
      System.out.printf(
          "cluster limits: engine %s peak in flight %d%n", pod, engine.peakInFlight());
      assertThat(engine.peakInFlight()).isLessThanOrEqualTo(3).isPositive();
    }
  }

  @Test
  @Order(4)
  void aReplicaStoppedMidRun() {
    aStoppedReplicaNeitherOvershootsNorHoldsTheTotalDown(2);
  }
}
