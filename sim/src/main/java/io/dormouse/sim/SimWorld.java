package io.dormouse.sim;

import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.gateway.GatewayApp;
import io.dormouse.gateway.GatewaySettings;
import io.dormouse.gateway.auth.ApiKey;
import io.dormouse.gateway.auth.ApiKeys;
import io.dormouse.gateway.auth.KeySecrets;
import io.dormouse.ledger.LedgerSettings;
import io.dormouse.ledger.embedded.EmbeddedPostgresServer;
import io.dormouse.operator.OperatorApp;
import io.dormouse.operator.OperatorSettings;
import io.dormouse.sim.apiserver.CrdValidatorAdmission;
import io.dormouse.sim.apiserver.InstalledCrdAdmission;
import io.dormouse.sim.cluster.NodePool;
import io.dormouse.sim.cluster.SimCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole of Dormouse on one machine: the simulated cluster, and in it the operator and the
 * gateway, started through their usual entry points with a kubeconfig the sim writes, exactly as
 * they run in a cluster.
 */
public final class SimWorld implements AutoCloseable {

  public static final String SYSTEM_NAMESPACE = "dormouse-system";
  public static final String GATEWAY_SERVICE = "dormouse-gateway";
  public static final String PRESETS_CONFIGMAP = "dormouse-model-presets";
  private static final Logger LOG = LoggerFactory.getLogger(SimWorld.class);
  private static final Map<String, String> GATEWAY_LABELS =
      Map.of("app.kubernetes.io/name", "dormouse-gateway", Wiring.LABEL_ROLE, Wiring.ROLE_GATEWAY);

  /** How the world is made. */
  public static final class Settings {
    private Path workDir;
    private final Map<String, NodePool> pools = new LinkedHashMap<>();
    private List<String> namespaces = List.of("default");
    private Duration operatorMaxReconcileInterval = Duration.ofSeconds(10);
    private Duration operatorLoadPollPeriod = Duration.ofSeconds(2);
    private Duration operatorLoadWindow = Duration.ofSeconds(10);
    private Duration gatewayShutdownGrace = Duration.ofSeconds(2);
    private Duration preStopDelay = Duration.ofSeconds(10);
    private java.util.function.Consumer<String> progress = step -> {};
    private int gatewayReplicas = 1;
    private java.util.function.UnaryOperator<GatewaySettings.Builder> gatewayTweak = b -> b;
    private java.util.function.UnaryOperator<OperatorSettings> operatorTweak = o -> o;
    private String presets = ChartPresets.catalog();
    private boolean ledger = true;
    private EmbeddedPostgresServer ledgerServer;
    private java.util.function.UnaryOperator<LedgerSettings> ledgerTweak = l -> l;
    private Duration provisioningDelay = Duration.ofSeconds(75);
    private Duration imagePull = Duration.ZERO;

    /** How long Karpenter takes from a NodeClaim to a Ready node (75 s by default). */
    public Settings provisioningDelay(Duration d) {
      provisioningDelay = d;
      return this;
    }

    /** How long a node takes to pull an engine image it does not have (none by default). */
    public Settings imagePull(Duration d) {
      imagePull = d;
      return this;
    }

    private java.util.function.Consumer<String> ledgerSetup = jdbcUrl -> {};
    private List<String> crds;
    private Duration gatewayPreStop = Duration.ZERO;

    /** Where the kubeconfig goes. */
    public Settings workDir(Path dir) {
      workDir = dir;
      return this;
    }

    /** The simulated nodes of a GpuTier (every other tier gets one node of 8 GPUs). */
    public Settings pool(String tier, NodePool pool) {
      pools.put(tier, pool);
      return this;
    }

    /** Namespaces made at start, besides dormouse-system. */
    public Settings namespaces(List<String> names) {
      namespaces = List.copyOf(names);
      return this;
    }

    /** The wait of the engines' pre-stop hook (10 s as in a cluster); tests shorten it. */
    public Settings preStopDelay(Duration d) {
      preStopDelay = d;
      return this;
    }

    public Settings operatorMaxReconcileInterval(Duration d) {
      operatorMaxReconcileInterval = d;
      return this;
    }

    /** How often the operator reads each gateway's load (2 s as in a cluster). */
    public Settings operatorLoadPollPeriod(Duration d) {
      operatorLoadPollPeriod = d;
      return this;
    }

    /** The span the autoscaler averages the load over (10 s as in a cluster). */
    public Settings operatorLoadWindow(Duration d) {
      operatorLoadWindow = d;
      return this;
    }

    /** Told the name of each part as it comes up: cluster, ledger, operator, gateway. */
    public Settings progress(java.util.function.Consumer<String> onStep) {
      progress = onStep;
      return this;
    }

    /**
     * Gateway replicas to run (default 1). Each listens on its own ports and is listed in the
     * gateway Service's EndpointSlices as a cluster would list its pod, so the replicas find each
     * other and share limits over the peer exchange.
     */
    public Settings gatewayReplicas(int n) {
      gatewayReplicas = Math.max(1, n);
      return this;
    }

    /** Changes the gateways' settings (tests shorten periods and timeouts). */
    public Settings gateway(java.util.function.UnaryOperator<GatewaySettings.Builder> tweak) {
      gatewayTweak = tweak;
      return this;
    }

    /**
     * Changes the operator's settings, at start and at each restart (e.g. {@code withLedger} with
     * the JDBC settings of the sim's database, a shorter {@code withLedgerRollupInterval}).
     */
    public Settings operator(java.util.function.UnaryOperator<OperatorSettings> tweak) {
      operatorTweak = tweak;
      return this;
    }

    /**
     * Whether the world keeps a ledger (default yes): a database of its own on the JVM's embedded
     * PostgreSQL, which the gateways write their usage rows to.
     */
    public Settings ledger(boolean on) {
      ledger = on;
      return this;
    }

    /**
     * The PostgreSQL server the ledger's database is made on, instead of the JVM's shared one (a
     * test that stops it for an outage).
     */
    public Settings ledgerServer(EmbeddedPostgresServer server) {
      ledgerServer = server;
      return this;
    }

    /** Changes the ledger's writer settings (tests shorten the flush interval, shrink batches). */
    public Settings ledger(java.util.function.UnaryOperator<LedgerSettings> tweak) {
      ledgerTweak = tweak;
      return this;
    }

    /**
     * Run on the ledger's fresh database before any process of the world starts, given its JDBC URL
     * (the upgrade test applies a previous release's migrations there).
     */
    public Settings ledgerSetup(java.util.function.Consumer<String> jdbcUrl) {
      ledgerSetup = jdbcUrl;
      return this;
    }

    /**
     * The CRDs installed at start, each a YAML document (a previous release's); by default this
     * build's. With them, the API server admits Dormouse objects by the CRDs installed at the time,
     * so that replacing them (an upgrade) changes what it accepts.
     */
    public Settings crds(List<String> yamls) {
      crds = List.copyOf(yamls);
      return this;
    }

    /**
     * How long a stopping gateway replica keeps serving after it left the Service's EndpointSlices,
     * before it drains (the chart's preStop sleep); default none.
     */
    public Settings gatewayPreStop(Duration d) {
      gatewayPreStop = d;
      return this;
    }

    /** The presets ConfigMap's presets.yaml; by default the chart's default catalog. */
    public Settings presets(String yaml) {
      presets = yaml;
      return this;
    }
  }

  private final Settings settings;
  private final SimCluster cluster;
  private final Path kubeconfig;
  private OperatorApp operator;

  /** Read by clients' threads ({@link #gatewayServiceUrls}) while a replica is replaced. */
  private final List<GatewayApp> gateways = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Each replica's pod name; a replaced replica gets a new one, as a rolling update's pod does. */
  private final List<String> gatewayNames = new java.util.ArrayList<>();

  /** The replicas the gateway Service routes to: listed ready, not terminating. */
  private final java.util.Set<GatewayApp> routable =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final String peerSecret = java.util.UUID.randomUUID().toString();
  private EmbeddedPostgresServer ledgerServer;
  private String ledgerDatabase;
  private int replacements;
  private Path workDir;

  private SimWorld(Settings settings) {
    this.settings = settings;
    SimCluster.Settings clusterSettings =
        new SimCluster.Settings()
            .admission(
                settings.crds == null
                    ? CrdValidatorAdmission.forDormouse()
                    : new InstalledCrdAdmission())
            .preStopDelay(settings.preStopDelay)
            .provisioningDelay(settings.provisioningDelay)
            .imagePull(settings.imagePull)
            .namespaces(
                java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(SYSTEM_NAMESPACE), settings.namespaces.stream())
                    .distinct()
                    .toList());
    settings.pools.forEach(clusterSettings::pool);
    if (settings.crds != null) {
      clusterSettings.crds(settings.crds);
    }
    this.cluster = SimCluster.start(clusterSettings);
    settings.progress.accept("cluster");
    try {
      Path dir = settings.workDir != null ? settings.workDir : Path.of("target", "sim");
      this.workDir = dir.toAbsolutePath();
      if (settings.ledger) {
        startLedgerDatabase();
        settings.progress.accept("ledger");
      }
      this.kubeconfig =
          cluster.writeKubeconfig(dir.resolve("kubeconfig").toAbsolutePath(), "default");
      installPlatform();
      this.operator = OperatorApp.start(operatorSettings());
      settings.progress.accept("operator");
      for (int i = 0; i < settings.gatewayReplicas; i++) {
        gatewayNames.add(gatewayPodName(i));
        gateways.add(startGateway(i));
      }
      settings.progress.accept("gateway");
    } catch (RuntimeException e) {
      gateways.forEach(GatewayApp::close);
      if (operator != null) {
        operator.close();
      }
      cluster.close();
      throw e;
    }
    LOG.info("sim world up: gateway {}, kubeconfig {}", gatewayUrl(), kubeconfig);
  }

  public static SimWorld start(Settings settings) {
    return new SimWorld(settings);
  }

  /** A database of this world's own: worlds of one JVM share the server, never the rows. */
  private void startLedgerDatabase() {
    ledgerServer =
        settings.ledgerServer != null ? settings.ledgerServer : EmbeddedPostgresServer.shared();
    String url = ledgerServer.freshDatabase("dormouse_sim");
    ledgerDatabase = url.substring(url.lastIndexOf('/') + 1);
    settings.ledgerSetup.accept(ledgerJdbcUrl());
  }

  /** The ledger's JDBC URL, or null when the world keeps no ledger. */
  public String ledgerJdbcUrl() {
    return ledgerServer == null ? null : ledgerServer.jdbcUrl(ledgerDatabase);
  }

  /** A {@code psql} URL of the ledger's database, or null when the world keeps no ledger. */
  public String ledgerPsqlUrl() {
    return ledgerServer == null ? null : ledgerServer.psqlUrl(ledgerDatabase);
  }

  /** The embedded server the ledger's database lives on, or null when there is no ledger. */
  public EmbeddedPostgresServer ledgerServer() {
    return ledgerServer;
  }

  /**
   * Ledger settings for one process of this world (a gateway replica, the operator): this world's
   * database, and a spool directory of that process's own under the work directory; null when the
   * world keeps no ledger.
   */
  public LedgerSettings ledgerSettings(String process) {
    if (ledgerServer == null) {
      return null;
    }
    Path spool = workDir.resolve("ledger-spool").resolve(ledgerDatabase).resolve(process);
    return settings.ledgerTweak.apply(
        LedgerSettings.of(ledgerJdbcUrl(), EmbeddedPostgresServer.USER, "", spool));
  }

  private OperatorSettings operatorSettings() {
    return settings.operatorTweak.apply(operatorSettings0());
  }

  private OperatorSettings operatorSettings0() {
    OperatorSettings base =
        ledgerServer == null
            ? OperatorSettings.defaults()
            : OperatorSettings.defaults().withLedger(ledgerSettings("operator"));
    return base.withKubeconfig(kubeconfig.toString())
        .withOperatorNamespace(SYSTEM_NAMESPACE)
        .withGatewayNamespace(SYSTEM_NAMESPACE)
        .withPresetsConfigMap(PRESETS_CONFIGMAP)
        .withManagementPort(0)
        .withManagementHost("127.0.0.1")
        // One operator in the sim; a restart need not wait for a lease to expire.
        .withLeaderElection(false)
        .withIdentity("dormouse-operator-sim")
        .withMaxReconcileInterval(settings.operatorMaxReconcileInterval)
        .withGatewayService(GATEWAY_SERVICE)
        .withLoadPollPeriod(settings.operatorLoadPollPeriod)
        .withLoadWindow(settings.operatorLoadWindow);
  }

  /**
   * What the Helm chart would install besides the two programs: the presets ConfigMap, and the
   * gateway's Service. Each in-process gateway replica is listed in the Service's EndpointSlices as
   * a cluster lists its pod (address, API and management ports), so that it counts itself, its
   * peers find it, and the operator reads its load.
   */
  private void installPlatform() {
    KubernetesClient client = cluster.client();
    client
        .configMaps()
        .inNamespace(SYSTEM_NAMESPACE)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(PRESETS_CONFIGMAP)
                .withNamespace(SYSTEM_NAMESPACE)
                .endMetadata()
                .addToData("presets.yaml", settings.presets)
                .build())
        .create();
    client
        .services()
        .inNamespace(SYSTEM_NAMESPACE)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(GATEWAY_SERVICE)
                .withNamespace(SYSTEM_NAMESPACE)
                .withLabels(GATEWAY_LABELS)
                .endMetadata()
                .withNewSpec()
                .withSelector(GATEWAY_LABELS)
                .addNewPort()
                .withName("http")
                .withPort(80)
                .withTargetPort(new IntOrString(8080))
                .endPort()
                .endSpec()
                .build())
        .create();
  }

  private GatewayApp startGateway(int replica) {
    String name = gatewayNames.get(replica);
    GatewaySettings.Builder b =
        GatewaySettings.builder()
            .kubeconfig(kubeconfig)
            .namespace(SYSTEM_NAMESPACE)
            .service(GATEWAY_SERVICE)
            .host("127.0.0.1")
            .port(0)
            .managementPort(0)
            .podName(name)
            .peerSecret(peerSecret)
            .ledger(ledgerSettings(name))
            .shutdownGrace(settings.gatewayShutdownGrace);
    GatewayApp app = GatewayApp.start(settings.gatewayTweak.apply(b).build());
    listGateway(name, app, true);
    routable.add(app);
    return app;
  }

  /**
   * The EndpointSlice a cluster would list this replica's pod in: its address and ports; ready, or
   * terminating once the pod is being deleted.
   */
  private void listGateway(String name, GatewayApp app, boolean ready) {
    client()
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace(SYSTEM_NAMESPACE)
        .resource(
            new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder()
                .withNewMetadata()
                .withName(sliceName(name))
                .withNamespace(SYSTEM_NAMESPACE)
                .addToLabels("kubernetes.io/service-name", GATEWAY_SERVICE)
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort()
                .withName("http")
                .withPort(app.port())
                .endPort()
                .addNewPort()
                .withName("metrics")
                .withPort(app.managementPort())
                .endPort()
                .addNewEndpoint()
                .withAddresses("127.0.0.1")
                .withNewTargetRef()
                .withKind("Pod")
                .withName(name)
                .withNamespace(SYSTEM_NAMESPACE)
                .endTargetRef()
                .withNewConditions()
                .withReady(ready)
                .withServing(true)
                .withTerminating(!ready)
                .endConditions()
                .endEndpoint()
                .build())
        .createOr(NonDeletingOperation::update);
  }

  /** Not the sim's own EndpointSlice controller's name for the Service's slice. */
  private static String sliceName(String pod) {
    return pod + "-replica";
  }

  private static String gatewayPodName(int replica) {
    return replica == 0 ? "dormouse-gateway-sim" : "dormouse-gateway-sim-" + replica;
  }

  /** The gateway's OpenAI-compatible base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String gatewayUrl() {
    return gatewayUrl(0);
  }

  /** The gateway's management port: /metrics, /livez, /readyz. */
  public String gatewayManagementUrl() {
    return "http://127.0.0.1:" + gateways.get(0).managementPort();
  }

  /** The base URL of one gateway replica. */
  public String gatewayUrl(int replica) {
    return "http://127.0.0.1:" + gateways.get(replica).port();
  }

  public int gatewayReplicas() {
    return gateways.size();
  }

  /**
   * The base URLs the gateway Service routes to now: the replicas listed ready in its
   * EndpointSlices. A client of the sim picks one per request, as kube-proxy does per connection.
   */
  public List<String> gatewayServiceUrls() {
    return gateways.stream()
        .filter(routable::contains)
        .map(g -> "http://127.0.0.1:" + g.port())
        .toList();
  }

  /**
   * Stops one gateway replica as a rolling update would: the Service stops routing to it and its
   * slice entry turns terminating, it keeps serving through the preStop wait ({@link
   * Settings#gatewayPreStop}) for connections already on their way, then drains (in-flight
   * responses finish within its shutdown grace) and exits, and its slice entry goes.
   */
  public synchronized void stopGateway(int replica) {
    GatewayApp app = gateways.get(replica);
    String name = gatewayNames.get(replica);
    routable.remove(app);
    listGateway(name, app, false);
    preStop();
    app.close();
    client()
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace(SYSTEM_NAMESPACE)
        .withName(sliceName(name))
        .delete();
  }

  /** The preStop hook's sleep: a wall-clock wait, as in the pod it stands for. */
  private void preStop() {
    if (settings.gatewayPreStop.isZero()) {
      return;
    }
    try {
      Thread.sleep(settings.gatewayPreStop.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops one gateway replica as a rolling update would and starts it again with the same name and
   * spool, as a restarted pod with its volume: rows it spooled are replayed by the new process.
   */
  public synchronized void restartGateway(int replica) {
    stopGateway(replica);
    gateways.set(replica, startGateway(replica));
  }

  /**
   * One step of a rolling update of the gateway: stops the replica ({@link #stopGateway}) and
   * starts its replacement, a new pod with a new name, listed once it is up.
   */
  public synchronized void replaceGateway(int replica) {
    stopGateway(replica);
    gatewayNames.set(replica, gatewayPodName(replica) + "-r" + ++replacements);
    gateways.set(replica, startGateway(replica));
  }

  /** One gateway replica's process (its ledger's health, its ports). */
  public GatewayApp gateway(int replica) {
    return gateways.get(replica);
  }

  /** The operator's management port: /metrics, /livez, /readyz. */
  public String operatorManagementUrl() {
    return "http://127.0.0.1:" + operator.managementPort();
  }

  /** The simulated cluster's API server. */
  public String apiServerUrl() {
    return cluster.api().url();
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public SimCluster cluster() {
    return cluster;
  }

  /** The cluster's client; do not close it. */
  public KubernetesClient client() {
    return cluster.client();
  }

  /** Mints an API key of {@code project} and stores its hash where the gateway looks. */
  public ApiKey mintKey(String project) {
    ApiKey key = ApiKeys.mint();
    client()
        .secrets()
        .inNamespace(SYSTEM_NAMESPACE)
        .resource(KeySecrets.secretFor(key, project, SYSTEM_NAMESPACE))
        .create();
    return key;
  }

  /** Creates or updates every object of a YAML manifest, as {@code kubectl apply} would. */
  public List<HasMetadata> apply(String yaml) {
    List<HasMetadata> items =
        client().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    return items.stream()
        .map(item -> client().resource(item).createOr(NonDeletingOperation::update))
        .toList();
  }

  /** The running operator (its ledger, for tests that read GPU time or force a rollup). */
  public synchronized OperatorApp operator() {
    return operator;
  }

  /** Stops the operator and starts a new one, as a pod restart would. */
  public synchronized void restartOperator() {
    operator.close();
    operator = OperatorApp.start(operatorSettings());
  }

  @Override
  public synchronized void close() {
    try {
      gateways.forEach(GatewayApp::close);
    } finally {
      try {
        operator.close();
      } finally {
        cluster.close();
      }
    }
  }
}
