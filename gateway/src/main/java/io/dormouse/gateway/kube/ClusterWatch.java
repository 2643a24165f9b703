package io.dormouse.gateway.kube;

import io.dormouse.api.tenancy.ProjectPolicy;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.gateway.auth.KeyStore;
import io.dormouse.gateway.auth.StoredKey;
import io.dormouse.gateway.backend.SliceBackends;
import io.dormouse.gateway.routing.EndpointRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's watches: InferenceEndpoints, EndpointSlices (engines' and its own Service's),
 * Namespaces (the projects each declares) and the API-key Secrets of its namespace. Informer
 * callbacks run on Fabric8 threads; they turn objects into plain values here and hand them to the
 * event loop through {@code onLoop}.
 */
public final class ClusterWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private final KubernetesClient client;
  private final String namespace;
  private final String service;
  private final KeyStore keys;
  private final FleetUpdates fleet;
  private final Executor onLoop;
  private final boolean requireDeclaredProjects;
  private final Map<String, List<FleetUpdates.GatewayPeer>> gatewayPeers =
      new ConcurrentHashMap<>();
  private final Map<String, String> declaredProjects = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  /**
   * @param namespace the gateway's own namespace: key Secrets and its Service live there
   * @param service the gateway's own Service, whose ready endpoints are its peers
   * @param requireDeclaredProjects whether a namespace without the {@code
   *     dormouse.io/allowed-projects} annotation may serve no project
   */
  public ClusterWatch(
      KubernetesClient client,
      String namespace,
      String service,
      KeyStore keys,
      FleetUpdates fleet,
      Executor onLoop,
      boolean requireDeclaredProjects) {
    this.client = client;
    this.namespace = namespace;
    this.service = service;
    this.keys = keys;
    this.fleet = fleet;
    this.onLoop = onLoop;
    this.requireDeclaredProjects = requireDeclaredProjects;
  }

  /**
   * Starts every watch and returns once each has listed what exists.
   *
   * @throws IllegalStateException when the API server does not answer the lists within {@code
   *     timeout} (the pod then restarts rather than serving with an empty view)
   */
  public void start(Duration timeout) {
    LOG.info(
        "watching InferenceEndpoints, EndpointSlices and Namespaces, API keys in {}, at {};"
            + " namespaces {} declare their projects",
        namespace,
        client.getMasterUrl(),
        requireDeclaredProjects ? "must" : "may");
    // The policy is known before any endpoint is: with declarations required, an endpoint seen
    // before its namespace serves no one rather than everyone.
    publishPolicy();
    informers.add(
        client
            .namespaces()
            .runnableInformer(0)
            .addEventHandler(handler(this::namespaceChanged, this::namespaceRemoved)));
    informers.add(
        client
            .secrets()
            .inNamespace(namespace)
            .withLabel(Wiring.LABEL_API_KEY, "true")
            .runnableInformer(0)
            .addEventHandler(handler(this::keyChanged, this::keyRemoved)));
    informers.add(
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inAnyNamespace()
            .runnableInformer(0)
            .addEventHandler(handler(this::sliceChanged, this::sliceRemoved)));
    informers.add(
        client
            .resources(InferenceEndpoint.class)
            .inAnyNamespace()
            .runnableInformer(0)
            .addEventHandler(handler(this::endpointChanged, this::endpointRemoved)));
    CompletableFuture<?>[] started =
        informers.stream()
            .map(i -> i.start().toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(started).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the API server at "
              + client.getMasterUrl()
              + " did not list the watched objects within "
              + timeout);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot watch the cluster at " + client.getMasterUrl() + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the watches", e);
    }
    LOG.info("watches synced: {} API keys", keys.size());
  }

  public boolean synced() {
    return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    informers.clear();
  }

  private void endpointChanged(InferenceEndpoint ie) {
    try {
      var route = Routes.of(ie);
      onLoop.execute(() -> fleet.endpointChanged(route));
    } catch (RuntimeException e) {
      LOG.warn("endpoint {}: ignored, cannot be read: {}", ref(ie), e.toString());
    }
  }

  private void endpointRemoved(InferenceEndpoint ie) {
    EndpointRef ref = ref(ie);
    onLoop.execute(() -> fleet.endpointRemoved(ref));
  }

  private void namespaceChanged(Namespace ns) {
    String name = ns.getMetadata().getName();
    Map<String, String> annotations = ns.getMetadata().getAnnotations();
    String declared =
        annotations == null ? null : annotations.get(Wiring.ANNOTATION_ALLOWED_PROJECTS);
    String before =
        declared == null ? declaredProjects.remove(name) : declaredProjects.put(name, declared);
    if (!Objects.equals(before, declared)) {
      LOG.info(
          "namespace {}: {}",
          name,
          declared == null ? "declares no projects" : "may serve projects [" + declared + "]");
      publishPolicy();
    }
  }

  private void namespaceRemoved(Namespace ns) {
    if (declaredProjects.remove(ns.getMetadata().getName()) != null) {
      publishPolicy();
    }
  }

  private void publishPolicy() {
    ProjectPolicy policy = new ProjectPolicy(requireDeclaredProjects, Map.copyOf(declaredProjects));
    onLoop.execute(() -> fleet.projectPolicyChanged(policy));
  }

  private void sliceChanged(EndpointSlice slice) {
    String ns = slice.getMetadata().getNamespace();
    String name = slice.getMetadata().getName();
    Map<String, String> labels = slice.getMetadata().getLabels();
    String serviceName = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    if (serviceName == null) {
      return;
    }
    if (ns.equals(namespace) && serviceName.equals(service)) {
      gatewayPeers.put(name, GatewayPeers.of(slice));
      List<FleetUpdates.GatewayPeer> all = allPeers();
      onLoop.execute(() -> fleet.gatewayPeers(all));
      return;
    }
    var ready = SliceBackends.of(slice, labels.getOrDefault(Wiring.LABEL_TIER, ""));
    onLoop.execute(() -> fleet.sliceChanged(ns, name, serviceName, ready));
  }

  private void sliceRemoved(EndpointSlice slice) {
    String ns = slice.getMetadata().getNamespace();
    String name = slice.getMetadata().getName();
    if (ns.equals(namespace) && gatewayPeers.remove(name) != null) {
      List<FleetUpdates.GatewayPeer> all = allPeers();
      onLoop.execute(() -> fleet.gatewayPeers(all));
      return;
    }
    onLoop.execute(() -> fleet.sliceRemoved(ns, name));
  }

  /** Every listed replica once by name; one listed with its management port wins. */
  private List<FleetUpdates.GatewayPeer> allPeers() {
    Map<String, FleetUpdates.GatewayPeer> byName = new java.util.TreeMap<>();
    gatewayPeers.values().stream()
        .flatMap(List::stream)
        .forEach(p -> byName.merge(p.name(), p, (a, b) -> a.managementPort() > 0 ? a : b));
    return List.copyOf(byName.values());
  }

  private void keyChanged(Secret secret) {
    String source = source(secret);
    Map<String, String> labels = secret.getMetadata().getLabels();
    Map<String, String> annotations = secret.getMetadata().getAnnotations();
    StoredKey key =
        StoredKey.of(
            source,
            annotations == null ? null : annotations.get(Wiring.ANNOTATION_KEY_ID),
            labels == null ? null : labels.get(Wiring.LABEL_PROJECT),
            digest(secret));
    if (key == null) {
      keys.remove(source);
      LOG.warn(
          "api-key secret {}: ignored; it needs label {}, annotation {} and data {} (64 hex chars)",
          source,
          Wiring.LABEL_PROJECT,
          Wiring.ANNOTATION_KEY_ID,
          Wiring.SECRET_KEY_SHA256);
      return;
    }
    keys.put(key);
    LOG.info(
        "api-key secret {}: key {} of project {} accepted", source, key.keyId(), key.project());
  }

  private void keyRemoved(Secret secret) {
    keys.remove(source(secret));
    LOG.info("api-key secret {}: deleted, its key is revoked", source(secret));
  }

  private static String digest(Secret secret) {
    if (secret.getData() != null && secret.getData().get(Wiring.SECRET_KEY_SHA256) != null) {
      try {
        return new String(
            Base64.getDecoder().decode(secret.getData().get(Wiring.SECRET_KEY_SHA256).strip()),
            StandardCharsets.US_ASCII);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return secret.getStringData() == null
        ? null
        : secret.getStringData().get(Wiring.SECRET_KEY_SHA256);
  }

  private static String source(HasMetadata o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  private static EndpointRef ref(InferenceEndpoint ie) {
    return new EndpointRef(ie.getMetadata().getNamespace(), ie.getMetadata().getName());
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> changed, Consumer<T> removed) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        changed.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        changed.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        removed.accept(obj);
      }
    };
  }
}
