package io.dormouse.operator;

import io.dormouse.ledger.LedgerSettings;
import io.dormouse.operator.events.WebhookSettings;
import io.dormouse.operator.lifecycle.Intent;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How to run the operator. Start from {@link #defaults()} and change what differs.
 *
 * @param kubeconfig a kubeconfig file to use instead of Fabric8's auto-configuration, or null
 * @param client a ready client (tests, the simulator), or null; it wins over {@code kubeconfig}
 * @param watchNamespaces namespaces of InferenceEndpoints to reconcile; empty for all
 * @param managementPort /metrics, /livez, /readyz; 0 for an ephemeral port
 * @param managementHost the address the management port binds, 0.0.0.0 (every interface) by
 *     default; the sim binds 127.0.0.1
 * @param identity this replica's name in leader election and in Events
 * @param maxReconcileInterval every endpoint is reconciled at least this often
 * @param drainDelay how long a lower tier keeps serving after traffic moved back up
 * @param requireDeclaredProjects whether endpoints in a namespace without the {@code
 *     dormouse.io/allowed-projects} annotation may serve no project
 * @param ledger the ledger's database and spool, or null when the ledger is off
 * @param ledgerRollupInterval how often the leader recomputes today's and yesterday's records
 * @param gatewayService the gateway's Service, whose EndpointSlices list the replicas whose load
 *     the autoscaler reads
 * @param loadPollPeriod how often each gateway replica's load is read
 * @param loadWindow the span the autoscaler averages each endpoint's load over
 * @param webhooks how the leader delivers webhook events (the outbox lives in the ledger's
 *     database: without a ledger no Webhook is served)
 */
public record OperatorSettings(
    String operatorNamespace,
    String gatewayNamespace,
    String presetsConfigMap,
    int managementPort,
    String managementHost,
    boolean leaderElection,
    Set<String> watchNamespaces,
    String kubeconfig,
    KubernetesClient client,
    Clock clock,
    String identity,
    Duration maxReconcileInterval,
    Duration drainDelay,
    boolean requireDeclaredProjects,
    LedgerSettings ledger,
    Duration ledgerRollupInterval,
    String gatewayService,
    Duration loadPollPeriod,
    Duration loadWindow,
    WebhookSettings webhooks) {

  public static final Duration DEFAULT_ROLLUP_INTERVAL = Duration.ofMinutes(2);

  public static final String LEADER_LEASE = "dormouse-operator";

  public OperatorSettings {
    watchNamespaces = Set.copyOf(watchNamespaces);
  }

  public static OperatorSettings defaults() {
    return new OperatorSettings(
        "dormouse-system",
        "dormouse-system",
        "dormouse-model-presets",
        8081,
        "0.0.0.0",
        true,
        Set.of(),
        null,
        null,
        Clock.systemUTC(),
        defaultIdentity(),
        Duration.ofSeconds(60),
        Intent.DEFAULT_DRAIN_DELAY,
        false,
        null,
        DEFAULT_ROLLUP_INTERVAL,
        "dormouse-gateway",
        Duration.ofSeconds(2),
        Duration.ofSeconds(10),
        WebhookSettings.defaults());
  }

  public OperatorSettings withGatewayService(String value) {
    return with(c -> c.gatewayService = value);
  }

  public OperatorSettings withLoadPollPeriod(Duration value) {
    return with(c -> c.loadPollPeriod = value);
  }

  public OperatorSettings withLoadWindow(Duration value) {
    return with(c -> c.loadWindow = value);
  }

  public OperatorSettings withOperatorNamespace(String value) {
    return with(c -> c.operatorNamespace = value);
  }

  public OperatorSettings withGatewayNamespace(String value) {
    return with(c -> c.gatewayNamespace = value);
  }

  public OperatorSettings withPresetsConfigMap(String value) {
    return with(c -> c.presetsConfigMap = value);
  }

  public OperatorSettings withManagementPort(int value) {
    return with(c -> c.managementPort = value);
  }

  public OperatorSettings withManagementHost(String value) {
    return with(c -> c.managementHost = value);
  }

  public OperatorSettings withLeaderElection(boolean value) {
    return with(c -> c.leaderElection = value);
  }

  public OperatorSettings withWatchNamespaces(Set<String> value) {
    return with(c -> c.watchNamespaces = value);
  }

  public OperatorSettings withKubeconfig(String value) {
    return with(c -> c.kubeconfig = value);
  }

  public OperatorSettings withClient(KubernetesClient value) {
    return with(c -> c.client = value);
  }

  public OperatorSettings withClock(Clock value) {
    return with(c -> c.clock = value);
  }

  public OperatorSettings withIdentity(String value) {
    return with(c -> c.identity = value);
  }

  public OperatorSettings withMaxReconcileInterval(Duration value) {
    return with(c -> c.maxReconcileInterval = value);
  }

  public OperatorSettings withDrainDelay(Duration value) {
    return with(c -> c.drainDelay = value);
  }

  public OperatorSettings withRequireDeclaredProjects(boolean value) {
    return with(c -> c.requireDeclaredProjects = value);
  }

  public OperatorSettings withLedger(LedgerSettings value) {
    return with(c -> c.ledger = value);
  }

  public OperatorSettings withLedgerRollupInterval(Duration value) {
    return with(c -> c.ledgerRollupInterval = value);
  }

  public OperatorSettings withWebhooks(WebhookSettings value) {
    return with(c -> c.webhooks = value);
  }

  /** A copy with one change: the with* methods above, without repeating every component. */
  private OperatorSettings with(Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.build();
  }

  private static final class Copy {
    String operatorNamespace;
    String gatewayNamespace;
    String presetsConfigMap;
    int managementPort;
    String managementHost;
    boolean leaderElection;
    Set<String> watchNamespaces;
    String kubeconfig;
    KubernetesClient client;
    Clock clock;
    String identity;
    Duration maxReconcileInterval;
    Duration drainDelay;
    boolean requireDeclaredProjects;
    LedgerSettings ledger;
    Duration ledgerRollupInterval;
    String gatewayService;
    Duration loadPollPeriod;
    Duration loadWindow;
    WebhookSettings webhooks;

    Copy(OperatorSettings s) {
      operatorNamespace = s.operatorNamespace;
      gatewayNamespace = s.gatewayNamespace;
      presetsConfigMap = s.presetsConfigMap;
      managementPort = s.managementPort;
      managementHost = s.managementHost;
      leaderElection = s.leaderElection;
      watchNamespaces = s.watchNamespaces;
      kubeconfig = s.kubeconfig;
      client = s.client;
      clock = s.clock;
      identity = s.identity;
      maxReconcileInterval = s.maxReconcileInterval;
      drainDelay = s.drainDelay;
      requireDeclaredProjects = s.requireDeclaredProjects;
      ledger = s.ledger;
      ledgerRollupInterval = s.ledgerRollupInterval;
      gatewayService = s.gatewayService;
      loadPollPeriod = s.loadPollPeriod;
      loadWindow = s.loadWindow;
      webhooks = s.webhooks;
    }

    OperatorSettings build() {
      return new OperatorSettings(
          operatorNamespace,
          gatewayNamespace,
          presetsConfigMap,
          managementPort,
          managementHost,
          leaderElection,
          watchNamespaces,
          kubeconfig,
          client,
          clock,
          identity,
          maxReconcileInterval,
          drainDelay,
          requireDeclaredProjects,
          ledger,
          ledgerRollupInterval,
          gatewayService,
          loadPollPeriod,
          loadWindow,
          webhooks);
    }
  }

  private static String defaultIdentity() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    String host = System.getenv("HOSTNAME");
    return host != null && !host.isBlank()
        ? host
        : "dormouse-operator-" + ProcessHandle.current().pid();
  }
}
