package io.dormouse.bench.wake;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.bench.load.ChatRequest;
import io.dormouse.bench.proc.JvmHeap;
import io.dormouse.bench.proc.ProcessSampler;
import io.dormouse.bench.targets.ApiWrite;
import io.dormouse.bench.targets.EngineProcess;
import io.dormouse.bench.targets.GatewayProcess;
import io.dormouse.bench.targets.MockApi;
import io.dormouse.bench.targets.OperatorProcess;
import io.dormouse.bench.targets.Seeds;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wake path through a real gateway process and, unless told otherwise, a real operator process;
 * the benchmark plays the kubelet and the EndpointSlice controller, turning the backend ready
 * {@link #SCALE_UP} after the scale-up. Every instant is taken in this process: the client's sends
 * and first bytes, and the arrival of each write at the mock API server.
 */
public final class WakeBench {

  private static final Logger LOG = LoggerFactory.getLogger(WakeBench.class);
  private static final String BURST = "burst";
  private static final String WARM_UP = "wake-warm-up";

  /** How long a cold request is left waiting before its backend turns ready, as a scale-up. */
  private static final Duration SCALE_UP = Duration.ofMillis(200);

  private final int trials;
  private final int waiters;
  private final boolean withOperator;
  private final Path work;
  private final Path logs;

  /**
   * @param withOperator run the real operator, which answers the Lease by scaling the Deployment;
   *     the benchmark then plays only the kubelet and the EndpointSlice controller. Without it, the
   *     benchmark also plays the operator and turns the backend ready on the Lease write.
   */
  public WakeBench(int trials, int waiters, boolean withOperator, Path work, Path logs) {
    this.trials = trials;
    this.waiters = waiters;
    this.withOperator = withOperator;
    this.work = work;
    this.logs = logs;
  }

  public WakeResult run(EngineProcess engine) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (MockApi api = MockApi.start();
        GatewayProcess gateway =
            GatewayProcess.start(
                api,
                work.resolve("wake"),
                logs,
                c -> {
                  Phase phase = withOperator ? null : Phase.Hibernated;
                  for (String model : models(trials)) {
                    int room = model.equals(BURST) ? waiters + 24 : 16;
                    GatewayProcess.addEndpoint(c, model, phase, null, room);
                  }
                });
        OperatorProcess operator = withOperator ? startOperator(api) : null) {
      if (operator != null) {
        awaitHibernated(api, operator, Duration.ofMinutes(3));
      }
      // The informers have listed; give the event loop a moment to take in what they found.
      Thread.sleep(1000);
      HttpClient client =
          vertx.createHttpClient(
              new HttpClientOptions().setKeepAlive(true),
              new PoolOptions().setHttp1MaxSize(waiters + 8).setMaxWaitQueueSize(-1));
      // One unrecorded wake first: the first request through a fresh gateway pays for class
      // loading and JIT, which a long-running gateway does not.
      trial(api, gateway, engine, client, WARM_UP);
      List<Double> toLease = new ArrayList<>();
      List<Double> toScale = new ArrayList<>();
      List<Double> toFirstByte = new ArrayList<>();
      for (int i = 0; i < trials; i++) {
        double[] t = trial(api, gateway, engine, client, trialName(i));
        toLease.add(t[0]);
        toScale.add(t[1]);
        toFirstByte.add(t[2]);
        LOG.info(
            "wake trial {}: Lease write after {} ms, scale write after {} ms, first byte {} ms"
                + " after ready",
            i,
            t[0],
            t[1],
            t[2]);
      }
      return burst(
          api, gateway, engine, client, median(toLease), median(toScale), median(toFirstByte));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** The model names the wake benchmark sends, which the engine must answer to. */
  public static List<String> models(int trials) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < trials; i++) {
      names.add(trialName(i));
    }
    names.add(BURST);
    names.add(WARM_UP);
    return names;
  }

  private static String trialName(int i) {
    return "wake-" + i;
  }

  /**
   * One cold request: [ms to the Lease write, ms to the Deployment scale write (NaN without the
   * operator), ms from the slice write to the first byte].
   */
  private double[] trial(
      MockApi api, GatewayProcess gateway, EngineProcess engine, HttpClient client, String ep)
      throws Exception {
    int seen = api.writes().size();
    long sent = System.nanoTime();
    CompletableFuture<Integer> status = new CompletableFuture<>();
    CompletableFuture<Long> firstByte =
        send(client, gateway, ep, (code, at) -> status.complete(code));
    ApiWrite lease = awaitWrite(api, seen, leaseWrite(ep), Duration.ofSeconds(30));
    ApiWrite scale = withOperator ? awaitScaleUp(api, seen, ep, Duration.ofSeconds(30)) : null;
    Thread.sleep(SCALE_UP.toMillis());
    ApiWrite ready = markReady(api, engine, ep);
    long first = firstByte.get(60, TimeUnit.SECONDS);
    int code = status.get(60, TimeUnit.SECONDS);
    if (code != 200) {
      throw new IllegalStateException("wake trial " + ep + ": the gateway answered " + code);
    }
    return new double[] {
      (lease.atNanos() - sent) / 1e6,
      scale == null ? Double.NaN : (scale.atNanos() - sent) / 1e6,
      (first - ready.atNanos()) / 1e6
    };
  }

  /**
   * Plays the kubelet and the EndpointSlice controller: the Deployment reports a ready replica
   * (with the operator), and the engine Service's slice lists the engine as ready. Returns the
   * slice write, the moment the gateway can learn of the backend.
   */
  private ApiWrite markReady(MockApi api, EngineProcess engine, String ep)
      throws InterruptedException {
    if (withOperator) {
      api.client()
          .apps()
          .deployments()
          .inNamespace(Seeds.ENDPOINT_NAMESPACE)
          .withName(Wiring.engineName(ep, Seeds.TIER))
          .editStatus(
              d -> {
                if (d.getStatus() == null) {
                  d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatus());
                }
                d.getStatus().setReplicas(1);
                d.getStatus().setReadyReplicas(1);
                d.getStatus().setAvailableReplicas(1);
                d.getStatus().setUpdatedReplicas(1);
                return d;
              });
    } else {
      GatewayProcess.setPhase(api.client(), ep, Phase.Ready);
    }
    int before = api.writes().size();
    api.client().resource(Seeds.engineSlice(ep, engine.port(), true)).create();
    return awaitWrite(
        api, before, w -> w.path().contains("/endpointslices"), Duration.ofSeconds(5));
  }

  /**
   * The operator's write that set the Deployment's replicas above zero: polled until the Deployment
   * shows replicas, then the last write to it before that is the one.
   */
  private static ApiWrite awaitScaleUp(MockApi api, int from, String ep, Duration timeout)
      throws InterruptedException {
    String name = Wiring.engineName(ep, Seeds.TIER);
    var deployment =
        api.client().apps().deployments().inNamespace(Seeds.ENDPOINT_NAMESPACE).withName(name);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      int upTo = api.writes().size();
      var d = deployment.get();
      if (d != null && d.getSpec().getReplicas() != null && d.getSpec().getReplicas() > 0) {
        List<ApiWrite> writes = api.writes().subList(from, upTo);
        for (int i = writes.size() - 1; i >= 0; i--) {
          ApiWrite w = writes.get(i);
          if (w.path().contains("/deployments/" + name) || w.path().endsWith("/deployments")) {
            return w;
          }
        }
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException("operator: " + name + " not scaled up within " + timeout);
  }

  private OperatorProcess startOperator(MockApi api) throws Exception {
    OperatorProcess.seed(api.client(), List.of(Seeds.GATEWAY_NAMESPACE, Seeds.ENDPOINT_NAMESPACE));
    return OperatorProcess.start(api, work.resolve("wake"), logs);
  }

  private void awaitHibernated(MockApi api, OperatorProcess operator, Duration timeout)
      throws InterruptedException {
    List<String> models = models(trials);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && operator.isAlive()) {
      long hibernated =
          api
              .client()
              .resources(InferenceEndpoint.class)
              .inNamespace(Seeds.ENDPOINT_NAMESPACE)
              .list()
              .getItems()
              .stream()
              .filter(ie -> models.contains(ie.getMetadata().getName()))
              .filter(ie -> ie.getStatus() != null && ie.getStatus().getPhase() == Phase.Hibernated)
              .count();
      if (hibernated == models.size()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("operator: the wake endpoints did not all hibernate");
  }

  private WakeResult burst(
      MockApi api,
      GatewayProcess gateway,
      EngineProcess engine,
      HttpClient client,
      double toLease,
      double toScale,
      double toFirstByte)
      throws Exception {
    ProcessSampler rss = new ProcessSampler(gateway.pid(), ProcessSampler.clockTicksPerSecond());
    long heapBefore = JvmHeap.liveBytesAfterGc(gateway.pid());
    long rssBefore = rss.sample().rssKb();
    int seen = api.writes().size();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicLong lastDone = new AtomicLong();
    List<CompletableFuture<Long>> all = new ArrayList<>();
    for (int i = 0; i < waiters; i++) {
      all.add(
          send(
              client,
              gateway,
              BURST,
              (status, at) -> {
                (status == 200 ? ok : failed).incrementAndGet();
                lastDone.accumulateAndGet(at, Math::max);
              }));
    }
    awaitQueueDepth(gateway, waiters, Duration.ofSeconds(60));
    long heapHeld = JvmHeap.liveBytesAfterGc(gateway.pid());
    long rssHeld = rss.sample().rssKb();
    int leaseWrites =
        (int)
            api.writes().subList(seen, api.writes().size()).stream()
                .filter(leaseWrite(BURST)::test)
                .count();
    if (withOperator) {
      awaitScaleUp(api, seen, BURST, Duration.ofSeconds(30));
    }
    ApiWrite ready = markReady(api, engine, BURST);
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .handle((v, e) -> null)
        .get(180, TimeUnit.SECONDS);
    double heapPerThousand = (heapHeld - heapBefore) / 1048576.0 * 1000 / waiters;
    double rssPerThousand = (rssHeld - rssBefore) / 1024.0 * 1000 / waiters;
    LOG.info(
        "wake burst: {} held, heap {} -> {} bytes, RSS {} -> {} kB, {} Lease writes, {} served, {} failed",
        waiters,
        heapBefore,
        heapHeld,
        rssBefore,
        rssHeld,
        leaseWrites,
        ok.get(),
        failed.get());
    return new WakeResult(
        withOperator ? "operator" : "harness",
        trials,
        toLease,
        toScale,
        toFirstByte,
        waiters,
        ok.get(),
        failed.get(),
        leaseWrites,
        heapPerThousand,
        rssPerThousand,
        (lastDone.get() - ready.atNanos()) / 1e9);
  }

  private interface Done {
    void accept(int status, long atNanos);
  }

  /** Sends one request; the future completes with the instant its response headers arrived. */
  private static CompletableFuture<Long> send(
      HttpClient client, GatewayProcess gateway, String model, Done done) {
    URI url = gateway.chatUrl();
    String body = new ChatRequest(model, 1024, false, 16, true).json();
    CompletableFuture<Long> first = new CompletableFuture<>();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(url.getHost())
            .setPort(url.getPort())
            .setURI(url.getPath())
            .putHeader("authorization", "Bearer " + gateway.apiKey())
            .putHeader("content-type", "application/json");
    client
        .request(options)
        .compose(req -> req.send(Buffer.buffer(body)))
        .compose(
            resp -> {
              long at = System.nanoTime();
              first.complete(at);
              return resp.body().map(b -> resp.statusCode());
            })
        .onComplete(
            r -> {
              long end = System.nanoTime();
              if (done != null) {
                done.accept(r.succeeded() ? r.result() : -1, end);
              }
              if (r.failed()) {
                first.completeExceptionally(r.cause());
              }
            });
    return first;
  }

  private static java.util.function.Predicate<ApiWrite> leaseWrite(String endpoint) {
    String name = Wiring.activityLeaseName(endpoint);
    return w ->
        w.path().contains("/leases/" + name)
            || (w.method().equals("POST") && w.path().endsWith("/leases"));
  }

  private static ApiWrite awaitWrite(
      MockApi api, int from, java.util.function.Predicate<ApiWrite> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<ApiWrite> writes = api.writes();
      for (ApiWrite w : writes.subList(Math.min(from, writes.size()), writes.size())) {
        if (match.test(w)) {
          return w;
        }
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException("no matching API write within " + timeout);
  }

  private static void awaitQueueDepth(GatewayProcess gateway, int depth, Duration timeout)
      throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    var get = java.net.http.HttpRequest.newBuilder(gateway.metricsUrl()).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    double last = -1;
    while (System.nanoTime() < deadline) {
      String text = http.send(get, HttpResponse.BodyHandlers.ofString()).body();
      last = QueueDepth.of(text, Seeds.ENDPOINT_NAMESPACE, BURST).orElse(-1);
      if (last >= depth) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "gateway queue of " + BURST + " reached " + last + ", not " + depth + ", in " + timeout);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n == 0
        ? Double.NaN
        : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
