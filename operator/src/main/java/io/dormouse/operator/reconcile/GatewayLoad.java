package io.dormouse.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.operator.scaling.LoadSeries;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load signal of the autoscaler. Every {@code period} the leader reads {@code GET /load/v1} on
 * the management port of each gateway replica its Service's EndpointSlices list, sums each
 * endpoint's requests in flight or queued over the replicas heard within {@code staleAfter} (a
 * replica that stops answering drops out of the sum then), keeps the sums as a {@link LoadSeries}
 * per endpoint, and asks for a reconcile of each endpoint whose sum changed. No API-server write;
 * one small HTTP read per gateway replica per period, whatever the request rate.
 */
public final class GatewayLoad extends AbstractEventSource<LoadSeries, InferenceEndpoint> {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayLoad.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> MANAGEMENT_PORT_NAMES = Set.of("metrics", "management");
  private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  /** What the load signal needs to know. */
  public record Settings(
      String gatewayNamespace,
      String gatewayService,
      Duration period,
      Duration staleAfter,
      Duration retention) {}

  private record Report(Instant at, Map<String, Integer> load) {}

  private static final class Series {
    final List<LoadSeries.Step> steps = new ArrayList<>();

    double last() {
      return steps.isEmpty() ? 0 : steps.get(steps.size() - 1).load();
    }

    /** Forgets what lies before {@code cutoff}, keeping the load that held at it. */
    void prune(Instant cutoff) {
      int drop = 0;
      while (drop + 1 < steps.size() && !steps.get(drop + 1).at().isAfter(cutoff)) {
        drop++;
      }
      if (drop > 0) {
        steps.subList(0, drop).clear();
      }
      if (!steps.isEmpty() && steps.get(0).at().isBefore(cutoff)) {
        steps.set(0, new LoadSeries.Step(cutoff, steps.get(0).load()));
      }
    }
  }

  private final KubernetesClient client;
  private final Settings settings;
  private final Clock clock;
  private final HttpClient http;
  private final Map<String, Report> reports = new ConcurrentHashMap<>();
  private final Map<String, Series> series = new HashMap<>();
  private volatile Instant since;
  private SharedIndexInformer<EndpointSlice> slices;
  private ScheduledExecutorService ticker;

  GatewayLoad(KubernetesClient client, Settings settings, Clock clock) {
    super(LoadSeries.class, "gatewayload");
    this.client = client;
    this.settings = settings;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(settings.period()).build();
  }

  @Override
  public Set<LoadSeries> getSecondaryResources(InferenceEndpoint primary) {
    return Set.of();
  }

  /** The load of {@code namespace/name} as summed so far, over the last {@code keep}. */
  synchronized LoadSeries series(String key, Duration keep) {
    Instant start = since == null ? clock.instant() : since;
    Series s = series.get(key);
    if (s == null) {
      return LoadSeries.idleSince(start);
    }
    s.prune(clock.instant().minus(keep));
    return new LoadSeries(start, s.steps);
  }

  @Override
  public void start() throws OperatorException {
    since = clock.instant();
    slices =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace(settings.gatewayNamespace())
            .withLabel(SERVICE_NAME_LABEL, settings.gatewayService())
            .runnableInformer(0);
    // Not waited for: the load signal is no reason to hold the operator's start, and an informer
    // that cannot list yet retries on its own (until then no gateway is read: no load).
    slices
        .start()
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                LOG.warn("gateway load: the gateway's EndpointSlices: {}", failure.toString());
              }
            });
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dormouse-gateway-load");
              t.setDaemon(true);
              return t;
            });
    long ms = settings.period().toMillis();
    ticker.scheduleAtFixedRate(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    super.start();
  }

  @Override
  public void stop() throws OperatorException {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    if (slices != null) {
      slices.close();
    }
    super.stop();
  }

  private void tick() {
    try {
      Set<String> listed = new HashSet<>();
      List<CompletableFuture<?>> asked = new ArrayList<>();
      for (EndpointSlice slice : slices.getStore().list()) {
        for (String url : managementUrls(slice)) {
          if (listed.add(url)) {
            asked.add(ask(url));
          }
        }
      }
      // This is the load signal's own thread: waiting here for the answers (bounded within the
      // period) lets this tick publish them rather than the next.
      try {
        CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new))
            .get(settings.period().toMillis() * 4 / 5, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // the slow ones count at the next tick, or drop out after staleAfter
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      reports.keySet().retainAll(listed);
      publish(clock.instant());
    } catch (RuntimeException e) {
      LOG.warn("gateway load: {}", e.toString());
    }
  }

  /** Sums the fresh reports; a changed sum is a step of the endpoint's series and a reconcile. */
  private void publish(Instant now) {
    Map<String, Integer> sums = new HashMap<>();
    Instant fresh = now.minus(settings.staleAfter());
    for (Report r : reports.values()) {
      if (!r.at().isBefore(fresh)) {
        r.load().forEach((k, v) -> sums.merge(k, v, Integer::sum));
      }
    }
    List<String> changed = new ArrayList<>();
    synchronized (this) {
      for (String key : sums.keySet()) {
        series.computeIfAbsent(key, k -> new Series());
      }
      Instant cutoff = now.minus(settings.retention());
      for (Iterator<Map.Entry<String, Series>> it = series.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Series> e = it.next();
        Series s = e.getValue();
        double load = sums.getOrDefault(e.getKey(), 0);
        if (s.steps.isEmpty() || s.last() != load) {
          s.steps.add(new LoadSeries.Step(now, load));
          changed.add(e.getKey());
        }
        s.prune(cutoff);
        if (s.steps.size() == 1 && s.last() == 0 && !s.steps.get(0).at().isAfter(cutoff)) {
          it.remove(); // at rest for the whole retention: the same as never seen
        }
      }
    }
    if (getEventHandler() != null && isRunning()) {
      for (String key : changed) {
        int slash = key.indexOf('/');
        getEventHandler()
            .handleEvent(
                new Event(new ResourceID(key.substring(slash + 1), key.substring(0, slash))));
      }
    }
  }

  private CompletableFuture<?> ask(String url) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(settings.period()).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, failure) -> {
              if (failure != null || response.statusCode() != 200) {
                LOG.debug(
                    "gateway load: {} did not answer: {}",
                    url,
                    failure != null ? failure.toString() : response.statusCode());
                return;
              }
              try {
                Map<String, Integer> load = new HashMap<>();
                JsonNode endpoints = JSON.readTree(response.body()).path("endpoints");
                endpoints
                    .fields()
                    .forEachRemaining(
                        e -> {
                          if (e.getValue().canConvertToInt() && e.getValue().asInt() > 0) {
                            load.put(e.getKey(), e.getValue().asInt());
                          }
                        });
                reports.put(url, new Report(clock.instant(), Map.copyOf(load)));
              } catch (Exception e) {
                LOG.debug("gateway load: {} answered something else: {}", url, e.toString());
              }
            });
  }

  /** Each listed gateway replica's load URL: its address and the management port. */
  static List<String> managementUrls(EndpointSlice slice) {
    Integer port = null;
    if (slice.getPorts() != null) {
      for (EndpointPort p : slice.getPorts()) {
        if (p.getPort() != null && MANAGEMENT_PORT_NAMES.contains(p.getName())) {
          port = p.getPort();
        }
      }
    }
    List<String> urls = new ArrayList<>();
    if (port == null || slice.getEndpoints() == null) {
      return urls;
    }
    for (Endpoint e : slice.getEndpoints()) {
      if (e.getAddresses() == null || e.getAddresses().isEmpty()) {
        continue;
      }
      String address = e.getAddresses().get(0);
      String host = address.contains(":") ? "[" + address + "]" : address;
      urls.add("http://" + host + ":" + port + "/load/v1");
    }
    return urls;
  }
}
