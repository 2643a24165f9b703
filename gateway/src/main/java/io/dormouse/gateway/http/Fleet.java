package io.dormouse.gateway.http;

import io.dormouse.api.tenancy.ProjectPolicy;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.gateway.backend.Backend;
import io.dormouse.gateway.backend.TierPreference;
import io.dormouse.gateway.kube.FleetUpdates;
import io.dormouse.gateway.routing.EndpointRef;
import io.dormouse.gateway.routing.EndpointRoute;
import io.dormouse.gateway.routing.RouteTable;
import io.dormouse.gateway.usage.GatewayMetrics;
import io.dormouse.gateway.wake.EndpointDispatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's view of the cluster — routes, ready backends per endpoint, its own replica count —
 * and one dispatcher per endpoint. Confined to the gateway's event loop: the watches post their
 * updates onto it.
 */
final class Fleet implements FleetUpdates {

  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

  /** What the fleet asks of the request side when waiters move. */
  interface Waiters {
    void release(Exchange waiter, Backend backend);

    void fail(Exchange waiter, OpenAiError error);
  }

  private record Slice(String namespace, String serviceName, List<Backend> ready) {}

  private final Map<EndpointRef, EndpointRoute> routes = new HashMap<>();
  private final Map<String, Slice> slices = new HashMap<>();
  private final Map<EndpointRef, EndpointDispatcher<Exchange>> dispatchers = new HashMap<>();
  private final Duration renewEvery;
  private final GatewayMetrics metrics;
  private Waiters waiters;
  private ProjectPolicy policy = ProjectPolicy.OPEN;
  private volatile RouteTable table = RouteTable.EMPTY;
  private volatile int gatewayReplicas = 1;

  Fleet(Duration renewEvery, GatewayMetrics metrics) {
    this.renewEvery = renewEvery;
    this.metrics = metrics;
  }

  void waiters(Waiters w) {
    this.waiters = w;
  }

  RouteTable table() {
    return table;
  }

  int gatewayReplicas() {
    return gatewayReplicas;
  }

  EndpointDispatcher<Exchange> dispatcher(EndpointRef ref) {
    return dispatchers.computeIfAbsent(ref, r -> new EndpointDispatcher<>(renewEvery));
  }

  @Override
  public void endpointChanged(EndpointRoute route) {
    EndpointRoute old = routes.put(route.ref(), route);
    if (!route.equals(old)) {
      rebuildTable();
    }
    if (old == null || old.phase() != route.phase()) {
      LOG.info("endpoint {} model={} phase={}", route.ref(), route.servedName(), route.phase());
    }
    EndpointDispatcher<Exchange> d = dispatcher(route.ref());
    List<Exchange> failed =
        d.configure(
            route.limits().maxConcurrentPerReplica(),
            route.limits().maxWaitingRequests(),
            route.failed(),
            route.message());
    for (Exchange x : failed) {
      waiters.fail(x, Exchange.endpointFailed(route));
    }
    refreshBackends(route); // tiers may have changed; new limits may free slots for waiters
  }

  @Override
  public void endpointRemoved(EndpointRef ref) {
    routes.remove(ref);
    rebuildTable();
    LOG.info("endpoint {} removed", ref);
    EndpointDispatcher<Exchange> d = dispatchers.remove(ref);
    if (d != null) {
      for (Exchange x : d.drainAll()) {
        waiters.fail(
            x,
            OpenAiError.invalidRequest(
                404,
                "model_not_found",
                "The model was removed while the request waited.",
                "model"));
      }
      metrics.queueDepth(ref.namespace(), ref.name(), 0);
    }
  }

  @Override
  public void projectPolicyChanged(ProjectPolicy newPolicy) {
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
  public void sliceChanged(
      String namespace, String sliceName, String serviceName, List<Backend> ready) {
    slices.put(namespace + "/" + sliceName, new Slice(namespace, serviceName, ready));
    refreshNamespace(namespace);
  }

  @Override
  public void sliceRemoved(String namespace, String sliceName) {
    if (slices.remove(namespace + "/" + sliceName) != null) {
      refreshNamespace(namespace);
    }
  }

  @Override
  public void gatewayReplicas(int ready) {
    int n = Math.max(1, ready);
    if (n != gatewayReplicas) {
      LOG.info("gateway replicas ready={}: each enforces 1/{} of every rate limit", n, n);
    }
    gatewayReplicas = n;
  }

  /** Endpoints whose activity Lease is due for renewal now. */
  List<EndpointRef> renewalsDue(Instant now) {
    List<EndpointRef> due = new ArrayList<>();
    dispatchers.forEach(
        (ref, d) -> {
          if (routes.containsKey(ref) && d.renewDue(now)) {
            due.add(ref);
          }
        });
    return due;
  }

  void depth(EndpointRef ref, EndpointDispatcher<Exchange> d) {
    metrics.queueDepth(ref.namespace(), ref.name(), d.waiting());
  }

  List<Exchange> drainAll() {
    List<Exchange> all = new ArrayList<>();
    dispatchers.forEach(
        (ref, d) -> {
          all.addAll(d.drainAll());
          depth(ref, d);
        });
    return all;
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
    EndpointDispatcher<Exchange> d = dispatcher(route.ref());
    boolean had = d.hasReadyBackend();
    var released = d.backendsChanged(serving);
    if (had != !serving.isEmpty()) {
      LOG.info(
          "endpoint {} ready backends={} tier={}",
          route.ref(),
          serving.size(),
          serving.isEmpty() ? "-" : serving.get(0).tier());
    }
    for (var a : released) {
      waiters.release(a.waiter(), a.backend());
    }
    depth(route.ref(), d);
  }
}
