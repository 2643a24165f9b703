package io.dormouse.operator.reconcile;

import io.dormouse.api.tenancy.Claim;
import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.operator.events.EndpointEvents;
import io.dormouse.operator.ledger.OperatorLedger;
import io.dormouse.operator.ledger.UsageFigures;
import io.dormouse.operator.lifecycle.EndpointConditions;
import io.dormouse.operator.lifecycle.Intent;
import io.dormouse.operator.lifecycle.Lifecycle;
import io.dormouse.operator.lifecycle.Observation;
import io.dormouse.operator.lifecycle.Plan;
import io.dormouse.operator.lifecycle.Tenancy;
import io.dormouse.operator.lifecycle.TierObservation;
import io.dormouse.operator.lifecycle.WakeCompleted;
import io.dormouse.operator.metrics.OperatorMetrics;
import io.dormouse.operator.presets.EffectiveSpec;
import io.dormouse.operator.presets.PresetCatalog;
import io.dormouse.operator.wake.WakePhases;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK glue of an InferenceEndpoint: observe its Deployments, pods, Lease, the GpuTiers, the
 * preset catalog, the other endpoints' served names and its namespace's declared projects; let the
 * {@link Lifecycle} decide; apply the plan; record status and journal.
 */
public final class EndpointReconciler implements Reconciler<InferenceEndpoint> {

  private static final Logger LOG = LoggerFactory.getLogger(EndpointReconciler.class);
  private static final String ENGINE_SELECTOR = Wiring.LABEL_ROLE + "=" + Wiring.ROLE_ENGINE;

  /** What the reconciler needs to know of its surroundings. */
  public record Config(
      String operatorNamespace,
      String gatewayNamespace,
      String presetsConfigMap,
      Duration maxReconcileInterval,
      Duration drainDelay,
      String identity,
      boolean requireDeclaredProjects,
      GatewayLoad.Settings load) {

    /** Without the load signal's settings: the defaults (tests of other concerns). */
    public Config(
        String operatorNamespace,
        String gatewayNamespace,
        String presetsConfigMap,
        Duration maxReconcileInterval,
        Duration drainDelay,
        String identity,
        boolean requireDeclaredProjects) {
      this(
          operatorNamespace,
          gatewayNamespace,
          presetsConfigMap,
          maxReconcileInterval,
          drainDelay,
          identity,
          requireDeclaredProjects,
          loadSignal(gatewayNamespace, "dormouse-gateway", Duration.ofSeconds(2)));
    }
  }

  /**
   * The load signal: every {@code period}, each gateway replica of {@code service}; one silent for
   * five periods (at least 10 s) drops out; an hour of history is kept at most.
   */
  public static GatewayLoad.Settings loadSignal(String namespace, String service, Duration period) {
    Duration stale = period.multipliedBy(5);
    return new GatewayLoad.Settings(
        namespace,
        service,
        period,
        stale.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : stale,
        Duration.ofHours(1));
  }

  private final Config config;
  private final Clock clock;
  private final Lifecycle lifecycle;
  private final GpuLedger ledger = new GpuLedger();
  private final CatalogReader catalogReader = new CatalogReader();
  private final OperatorMetrics metrics;
  private final OperatorLedger usageLedger;
  private final EndpointEvents events;
  private ResourceApplier applier;
  private Journal journal;
  private WakeTimelineReader wakeReader;

  private InformerEventSource<Deployment, InferenceEndpoint> deployments;
  private InformerEventSource<Pod, InferenceEndpoint> pods;
  private InformerEventSource<Service, InferenceEndpoint> services;
  private InformerEventSource<NetworkPolicy, InferenceEndpoint> networkPolicies;
  private InformerEventSource<Lease, InferenceEndpoint> leases;
  private InformerEventSource<GpuTier, InferenceEndpoint> gpuTiers;
  private InformerEventSource<ConfigMap, InferenceEndpoint> presets;
  private InformerEventSource<InferenceEndpoint, InferenceEndpoint> servedNames;
  private InformerEventSource<Namespace, InferenceEndpoint> namespaces;
  private GatewayLoad gatewayLoad;
  private final Duration loadWindow;

  /**
   * @param events where each decision's lifecycle events go (webhooks) besides Events
   * @param loadWindow the span the autoscaler averages each endpoint's load over
   */
  public EndpointReconciler(
      Config config,
      Clock clock,
      OperatorMetrics metrics,
      OperatorLedger usageLedger,
      EndpointEvents events,
      Duration loadWindow) {
    this.loadWindow = loadWindow;
    this.config = config;
    this.clock = clock;
    this.lifecycle = new Lifecycle(clock);
    this.metrics = metrics;
    this.usageLedger = usageLedger;
    this.events = events;
  }

  @Override
  public List<EventSource<?, InferenceEndpoint>> prepareEventSources(
      EventSourceContext<InferenceEndpoint> context) {
    KubernetesClient client = context.getClient();
    applier = new ResourceApplier(client, config.gatewayNamespace());
    journal = new Journal(client, metrics, clock, config.identity(), usageLedger);
    wakeReader = new WakeTimelineReader(client);
    deployments = labelled(Deployment.class, "deployments", ENGINE_SELECTOR, context);
    pods = labelled(Pod.class, "pods", ENGINE_SELECTOR, context);
    services = labelled(Service.class, "services", ENGINE_SELECTOR, context);
    networkPolicies =
        labelled(
            NetworkPolicy.class,
            "networkpolicies",
            Wiring.MANAGED_BY + "=" + Wiring.MANAGED_BY_VALUE,
            context);
    // Only activity Leases: both the operator and a gateway that creates one label it with its
    // endpoint, and watching every Lease would wake this informer on each node heartbeat.
    // So an unlabelled <endpoint>-activity Lease (an older gateway's) is never seen, nor adopted.
    leases = labelled(Lease.class, "leases", Wiring.LABEL_ENDPOINT, context);
    gpuTiers =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(GpuTier.class, InferenceEndpoint.class)
                .withName("gputiers")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(
                    (GpuTier tier) ->
                        context
                            .getPrimaryCache()
                            .list(
                                e ->
                                    e.getSpec().getTiers() != null
                                        && e.getSpec()
                                            .getTiers()
                                            .contains(tier.getMetadata().getName()))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    presets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ConfigMap.class, InferenceEndpoint.class)
                .withName("presets")
                .withNamespaces(config.operatorNamespace())
                .withGenericFilter(
                    cm -> config.presetsConfigMap().equals(cm.getMetadata().getName()))
                .withSecondaryToPrimaryMapper(
                    (ConfigMap cm) ->
                        context
                            .getPrimaryCache()
                            .list(
                                e ->
                                    e.getSpec().getModel() != null
                                        && e.getSpec().getModel().getPreset() != null)
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    // Every endpoint of the cluster, even with watchNamespaces set: served names are one
    // cluster-wide space, and the gateways judge claims against all of them.
    servedNames =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(InferenceEndpoint.class, InferenceEndpoint.class)
                .withName("servednames")
                .withWatchAllNamespaces()
                .withOnUpdateFilter(
                    (InferenceEndpoint a, InferenceEndpoint b) ->
                        !Claim.servedName(a).equals(Claim.servedName(b)))
                .withSecondaryToPrimaryMapper(
                    (InferenceEndpoint changed) -> rivals(changed, context))
                .build(),
            context);
    namespaces =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Namespace.class, InferenceEndpoint.class)
                .withName("namespaces")
                .withWatchAllNamespaces()
                .withOnUpdateFilter(
                    (Namespace a, Namespace b) -> !Objects.equals(declared(a), declared(b)))
                .withSecondaryToPrimaryMapper(
                    (Namespace ns) ->
                        context
                            .getPrimaryCache()
                            .list(ns.getMetadata().getName())
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    gatewayLoad = new GatewayLoad(client, config.load(), clock);
    return List.of(
        gatewayLoad,
        deployments,
        pods,
        services,
        networkPolicies,
        leases,
        gpuTiers,
        presets,
        servedNames,
        namespaces);
  }

  /**
   * The endpoints whose verdict a claim's arrival, rename or departure may change: those claiming
   * the same name or the qualified name it now has, and those not owning theirs today.
   */
  private static Set<ResourceID> rivals(
      InferenceEndpoint changed, EventSourceContext<InferenceEndpoint> context) {
    Claim claim = Claim.of(changed);
    Set<String> names = Set.of(claim.servedName(), claim.qualifiedName());
    return context
        .getPrimaryCache()
        .list(e -> names.contains(Claim.servedName(e)) || notOwning(e))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static boolean notOwning(InferenceEndpoint e) {
    return e.getStatus() != null
        && e.getStatus().getConditions() != null
        && e.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    EndpointConditions.SERVED_NAME_OWNED.equals(c.getType())
                        && "False".equals(c.getStatus()));
  }

  private static String declared(Namespace ns) {
    Map<String, String> annotations = ns.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(Wiring.ANNOTATION_ALLOWED_PROJECTS);
  }

  /** An informer of objects that name their endpoint in the dormouse.io/endpoint label. */
  private static <R extends HasMetadata> InformerEventSource<R, InferenceEndpoint> labelled(
      Class<R> type, String name, String selector, EventSourceContext<InferenceEndpoint> context) {
    SecondaryToPrimaryMapper<R> byEndpointLabel =
        r -> {
          String endpoint = label(r, Wiring.LABEL_ENDPOINT);
          return endpoint == null
              ? Set.of()
              : Set.of(new ResourceID(endpoint, r.getMetadata().getNamespace()));
        };
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, InferenceEndpoint.class)
            .withName(name)
            .withLabelSelector(selector)
            .withSecondaryToPrimaryMapper(byEndpointLabel)
            .build(),
        context);
  }

  @Override
  public UpdateControl<InferenceEndpoint> reconcile(
      InferenceEndpoint endpoint, Context<InferenceEndpoint> context) {
    if (context.isPrimaryResourceDeleted()) {
      return deleted(endpoint, context);
    }
    String namespace = endpoint.getMetadata().getNamespace();
    String name = endpoint.getMetadata().getName();
    Instant now = clock.instant();

    EffectiveSpec.Resolution resolved = EffectiveSpec.resolve(endpoint, catalog());
    Intent intent = Intents.of(endpoint, resolved, config.drainDelay(), loadWindow);
    var load =
        gatewayLoad.series(
            namespace + "/" + name,
            intent.scaling().scaleDownDelay().plus(intent.scaling().window()));
    Map<String, GpuTier> tiers = tiersByName();
    // GPU time of every engine pod, so that a pod of an endpoint nobody reconciles is closed too.
    usageLedger.watching(() -> pods.list().toList(), this::tiersByName);
    usageLedger.observePods(pods.list().toList(), tiers, now);
    Map<String, Deployment> ownDeployments = ownedByName(deployments, namespace, name);
    Map<String, Service> ownServices = ownedByName(services, namespace, name);
    Map<String, List<Pod>> podsByTier =
        pods.list(namespace, p -> name.equals(label(p, Wiring.LABEL_ENDPOINT)))
            .collect(
                Collectors.groupingBy(
                    p -> Objects.requireNonNullElse(label(p, Wiring.LABEL_TIER), "")));
    Map<String, TierObservation> observed = new LinkedHashMap<>();
    for (String tier : intent.tiers()) {
      observed.put(
          tier,
          TierObserver.summarise(
              tier,
              ownDeployments.get(Wiring.engineName(name, tier)),
              podsByTier.getOrDefault(tier, List.of()),
              now));
    }
    Lease lease =
        leases.get(new ResourceID(Wiring.activityLeaseName(name), namespace)).orElse(null);
    Instant renewed =
        lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null
            ? null
            : lease.getSpec().getRenewTime().toInstant();

    Tenancy tenancy =
        TenancyObserver.of(
            endpoint,
            servedNames.list().toList(),
            namespaces
                .get(new ResourceID(namespace))
                .map(EndpointReconciler::declared)
                .orElse(null),
            config.requireDeclaredProjects());

    Set<String> live =
        context
            .getPrimaryCache()
            .list()
            .map(e -> GpuLedger.key(e.getMetadata().getNamespace(), e.getMetadata().getName()))
            .collect(Collectors.toSet());
    metrics.retainEndpoints(live);
    InferenceEndpointStatus before = endpoint.getStatus();
    Plan plan =
        ledger.decide(
            GpuLedger.key(namespace, name),
            intent.gpusPerReplica(),
            tiers,
            deployments.list(),
            live,
            capacity ->
                lifecycle.decide(
                    new Observation(
                        intent,
                        before,
                        observed,
                        renewed,
                        capacity.entrySet().stream()
                            .filter(e -> intent.tiers().contains(e.getKey()))
                            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                        tenancy,
                        load)));

    applier.apply(
        endpoint,
        resolved.spec(),
        tiers,
        plan,
        new ResourceApplier.Current(
            ownDeployments,
            ownServices,
            networkPolicies
                .get(new ResourceID(Wiring.engineNetworkPolicyName(name), namespace))
                .orElse(null),
            lease));

    plan.wakeCompleted()
        .ifPresent(
            w -> {
              WakePhases phases = measureWake(context.getClient(), namespace, name, w, plan, now);
              plan.status().setLastWake(phases.toRecord());
              metrics.wakePhases(phases.byName());
              LOG.info(
                  "endpoint {}/{}: woke on tier {} in {}: {}",
                  namespace,
                  name,
                  w.tier(),
                  phases.total(),
                  phases.byName());
            });

    // The value clients send, for the SERVED-NAME column of kubectl get ie.
    plan.status()
        .setServedName(
            endpoint.getSpec() == null
                    || endpoint.getSpec().getModel() == null
                    || endpoint.getSpec().getModel().getServedName() == null
                ? name
                : endpoint.getSpec().getModel().getServedName());
    plan.status()
        .setUsage(
            UsageFigures.next(
                before == null ? null : before.getUsage(),
                usageLedger.latestUsage(namespace, name),
                now));
    if (!sameStatus(context, before, plan.status())) {
      PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(
          endpoint,
          context,
          e -> {
            e.setStatus(plan.status());
            return e;
          });
    }
    journal.record(endpoint, before, plan, now);
    events.emit(endpoint, before, plan);

    Duration next =
        plan.recheckAfter()
            .filter(d -> d.compareTo(config.maxReconcileInterval()) < 0)
            .orElse(config.maxReconcileInterval());
    LOG.debug(
        "endpoint {}/{}: {}; next check in {}", namespace, name, plan.status().getPhase(), next);
    return UpdateControl.<InferenceEndpoint>noUpdate().rescheduleAfter(next.plusMillis(10));
  }

  /** Reached only with reconcile-on-all-events: the endpoint is gone from the cluster. */
  private UpdateControl<InferenceEndpoint> deleted(
      InferenceEndpoint endpoint, Context<InferenceEndpoint> context) {
    journal.deleted(endpoint);
    metrics.retainEndpoints(
        context
            .getPrimaryCache()
            .list()
            .map(e -> GpuLedger.key(e.getMetadata().getNamespace(), e.getMetadata().getName()))
            .collect(Collectors.toSet()));
    return UpdateControl.noUpdate();
  }

  private Map<String, GpuTier> tiersByName() {
    return gpuTiers
        .list()
        .collect(Collectors.toMap(t -> t.getMetadata().getName(), t -> t, (a, b) -> a));
  }

  /**
   * The phases of the wake that just ended, read once from the API server (the pod cache may not
   * have the ready pod yet when the Deployment already counts it).
   */
  private WakePhases measureWake(
      KubernetesClient client,
      String namespace,
      String name,
      WakeCompleted wake,
      Plan plan,
      Instant now) {
    Instant attempt =
        plan.status().getTiers().stream()
            .filter(t -> wake.tier().equals(t.getName()) && t.getAttemptStartedTime() != null)
            .map(t -> Instant.parse(t.getAttemptStartedTime()))
            .findFirst()
            .orElse(null);
    List<Pod> tierPods;
    try {
      tierPods =
          client
              .pods()
              .inNamespace(namespace)
              .withLabel(Wiring.LABEL_ENDPOINT, name)
              .withLabel(Wiring.LABEL_TIER, wake.tier())
              .list()
              .getItems();
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      tierPods = List.of();
    }
    return WakePhases.of(
        wake.tier(), wakeReader.read(tierPods, now.minus(wake.duration()), attempt, now));
  }

  private PresetCatalog catalog() {
    return catalogReader.read(
        presets
            .get(new ResourceID(config.presetsConfigMap(), config.operatorNamespace()))
            .orElse(null));
  }

  private static <R extends HasMetadata> Map<String, R> ownedByName(
      InformerEventSource<R, InferenceEndpoint> source, String namespace, String endpoint) {
    Map<String, R> byName = new HashMap<>();
    source
        .list(namespace, r -> endpoint.equals(label(r, Wiring.LABEL_ENDPOINT)))
        .forEach(r -> byName.put(r.getMetadata().getName(), r));
    return byName;
  }

  private static String label(HasMetadata r, String key) {
    return r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(key);
  }

  private static boolean sameStatus(
      Context<InferenceEndpoint> context,
      InferenceEndpointStatus before,
      InferenceEndpointStatus after) {
    if (before == null) {
      return false;
    }
    var serialization = context.getClient().getKubernetesSerialization();
    return serialization.asJson(before).equals(serialization.asJson(after));
  }
}
