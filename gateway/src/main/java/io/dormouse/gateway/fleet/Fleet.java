package io.dormouse.gateway.fleet;

import io.dormouse.api.tenancy.ProjectPolicy;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.gateway.backend.Backend;
import io.dormouse.gateway.backend.TierPreference;
import io.dormouse.gateway.kube.FleetUpdates;
import io.dormouse.gateway.routing.EndpointRef;
import io.dormouse.gateway.routing.EndpointRoute;
import io.dormouse.gateway.routing.RouteTable;
import io.dormouse.gateway.stages.OpenAiError;
import io.dormouse.gateway.stages.Refusal;
import io.dormouse.gateway.usage.GatewayMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's view of the cluster — routes, ready backends per endpoint, its own peers — and each
 * endpoint's {@link EndpointTraffic}. The watches update it from one thread at a time (its methods
 * are synchronized); requests read the route table (immutable, swapped whole) and the traffic of
 * their endpoint, each behind its own lock, from any event loop.
 */
public final class Fleet implements FleetUpdates {

  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

  private record Slice(String namespace, String serviceName, List<Backend> ready) {}

  private final Map<EndpointRef, EndpointRoute> routes = new HashMap<>();
  private final Map<String, Slice> slices = new HashMap<>();
  private final Map<EndpointRef, EndpointTraffic> traffic = new ConcurrentHashMap<>();
  private final Duration renewEvery;
  private final GatewayMetrics metrics;
  private final Consumer<List<GatewayPeer>> peersChanged;
  private ProjectPolicy policy = ProjectPolicy.OPEN;
  private volatile RouteTable table = RouteTable.EMPTY;
  private volatile List<GatewayPeer> peers = List.of();

  /**
   * @param peersChanged told of the gateway's own ready replicas whenever they change
   */
  public Fleet(
      Duration renewEvery, GatewayMetrics metrics, Consumer<List<GatewayPeer>> peersChanged) {
    this.renewEvery = renewEvery;
    this.metrics = metrics;
    this.peersChanged = peersChanged;
  }

  public RouteTable table() {
    return table;
  }

  /** The gateway's ready replicas as its Service lists them (this one included, once ready). */
  public List<GatewayPeer> peers() {
    return peers;
  }

  /** The traffic of an endpoint; made on first use. */
  public EndpointTraffic traffic(EndpointRef ref) {
    EndpointTraffic t = traffic.get(ref);
    return t != null
        ? t
        : traffic.computeIfAbsent(ref, r -> new EndpointTraffic(r, renewEvery, metrics));
  }

  /** Every endpoint's traffic, for the peer exchange. */
  public Map<EndpointRef, EndpointTraffic> allTraffic() {
    return traffic;
  }

  @Override
  public synchronized void endpointChanged(EndpointRoute route) {
    EndpointRoute old = routes.put(route.ref(), route);
    if (!route.equals(old)) {
      rebuildTable();
    }
    if (old == null || old.phase() != route.phase()) {
      LOG.info("endpoint {} model={} phase={}", route.ref(), route.servedName(), route.phase());
    }
    traffic(route.ref())
        .configure(
            route.limits().maxConcurrentPerReplica(),
            route.limits().maxWaitingRequests(),
            route.failed(),
            route.message(),
            endpointFailed(route));
    refreshBackends(route); // tiers may have changed; new limits may free slots for waiters
  }

  @Override
  public synchronized void endpointRemoved(EndpointRef ref) {
    routes.remove(ref);
    rebuildTable();
    LOG.info("endpoint {} removed", ref);
    EndpointTraffic t = traffic.remove(ref);
    if (t != null) {
      t.drain(
          new Refusal(
              OpenAiError.invalidRequest(
                  404,
                  "model_not_found",
                  "The model was removed while the request waited.",
                  "model")));
      metrics.queueDepth(ref.namespace(), ref.name(), 0);
    }
  }

  @Override
  public synchronized void projectPolicyChanged(ProjectPolicy newPolicy) {
    policy = newPolicy;
    rebuildTable();
  }

  /** A new table by the tenancy rules; what changes in who gets what is logged. */
  private void rebuildTable() {
    var before = table.problems();
    table = new RouteTable(routes.values(), policy);
    var after = table.problems();
    after.forEach(
        (ref, problem) -> {
          if (!problem.equals(before.get(ref))) {
            LOG.warn("endpoint {}: {}", ref, problem);
          }
        });
    before.keySet().stream()
        .filter(ref -> routes.containsKey(ref) && !after.containsKey(ref))
        .forEach(ref -> LOG.info("endpoint {}: serves its served name and projects as asked", ref));
  }

  @Override
  public synchronized void sliceChanged(
      String namespace, String sliceName, String serviceName, List<Backend> ready) {
    slices.put(namespace + "/" + sliceName, new Slice(namespace, serviceName, ready));
    refreshNamespace(namespace);
  }

  @Override
  public synchronized void sliceRemoved(String namespace, String sliceName) {
    if (slices.remove(namespace + "/" + sliceName) != null) {
      refreshNamespace(namespace);
    }
  }

  @Override
  public synchronized void gatewayPeers(List<GatewayPeer> ready) {
    List<GatewayPeer> now = List.copyOf(ready);
    if (!now.equals(peers)) {
      LOG.info("gateway replicas ready={}: {}", now.size(), now);
      peers = now;
      peersChanged.accept(now);
    }
  }

  /** Endpoints whose activity Lease is due for renewal now. */
  public synchronized List<EndpointRef> renewalsDue(Instant now) {
    List<EndpointRef> due = new ArrayList<>();
    traffic.forEach(
        (ref, t) -> {
          if (routes.containsKey(ref) && t.renewDue(now)) {
            due.add(ref);
          }
        });
    return due;
  }

  /** Sends every waiter away (shutdown). */
  public void drainAll(Refusal refusal) {
    traffic.values().forEach(t -> t.drain(refusal));
  }

  public static Refusal endpointFailed(EndpointRoute route) {
    String why = route.message() == null || route.message().isBlank() ? "" : ": " + route.message();
    return new Refusal(
        new OpenAiError(
            503,
            "service_unavailable",
            "endpoint_failed",
            "The model " + route.servedName() + " cannot be woken" + why,
            null));
  }

  private void refreshNamespace(String namespace) {
    for (EndpointRoute route : List.copyOf(routes.values())) {
      if (route.ref().namespace().equals(namespace)) {
        refreshBackends(route);
      }
    }
  }

  private void refreshBackends(EndpointRoute route) {
    Map<String, List<Backend>> byTier = new LinkedHashMap<>();
    for (String tier : route.tiers()) {
      String service = Wiring.engineName(route.ref().name(), tier);
      List<Backend> ready = new ArrayList<>();
      for (Slice s : slices.values()) {
        if (s.namespace().equals(route.ref().namespace()) && s.serviceName().equals(service)) {
          for (Backend b : s.ready()) {
            ready.add(new Backend(b.host(), b.port(), tier));
          }
        }
      }
      byTier.put(tier, ready);
    }
    List<Backend> serving = TierPreference.serving(route.tiers(), byTier);
    EndpointTraffic t = traffic(route.ref());
    boolean had = t.hasReadyBackend();
    if (had != !serving.isEmpty()) {
      LOG.info(
          "endpoint {} ready backends={} tier={}",
          route.ref(),
          serving.size(),
          serving.isEmpty() ? "-" : serving.get(0).tier());
    }
    t.backendsChanged(serving);
    t.depth();
  }
}
