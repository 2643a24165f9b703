package io.dormouse.operator;

import io.dormouse.ledger.LedgerMeters;
import io.dormouse.ledger.LedgerMetrics;
import io.dormouse.operator.ledger.OperatorLedger;
import io.dormouse.operator.metrics.OperatorMetrics;
import io.dormouse.operator.reconcile.EndpointReconciler;
import io.dormouse.operator.reconcile.GpuTierReconciler;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running operator: the SDK with both reconcilers, and the management port. */
public final class OperatorApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorApp.class);

  private final Operator operator;
  private final ManagementServer management;
  private final KubernetesClient ownedClient;
  private final AtomicBoolean closing;
  private final OperatorLedger ledger;
  private final Webhooks webhooks;

  private OperatorApp(
      Operator operator,
      ManagementServer management,
      KubernetesClient ownedClient,
      AtomicBoolean closing,
      OperatorLedger ledger,
      Webhooks webhooks) {
    this.operator = operator;
    this.management = management;
    this.ownedClient = ownedClient;
    this.closing = closing;
    this.ledger = ledger;
    this.webhooks = webhooks;
  }

  public static OperatorApp start(OperatorSettings s) {
    KubernetesClient ownedClient = s.client() == null ? newClient(s.kubeconfig()) : null;
    KubernetesClient client = s.client() != null ? s.client() : ownedClient;
    AtomicBoolean closing = new AtomicBoolean();
    Webhooks webhooks = Webhooks.of(s, client);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorMetrics metrics = new OperatorMetrics(registry, s.clock());
    // Never throws over the database: a ledger that cannot write spools and says why.
    LedgerMeters ledgerMeters = s.ledger() == null ? null : new LedgerMeters(registry);
    OperatorLedger ledger =
        OperatorLedger.start(
            s.ledger(),
            ledgerMeters == null ? LedgerMetrics.NONE : ledgerMeters,
            metrics,
            s.clock(),
            s.ledgerRollupInterval());
    if (ledgerMeters != null) {
      ledgerMeters.watch(ledger.ledger()::health);
    }
    // SSA off for the primary and for dependents: the Fabric8 mock server has none, and what runs
    // in a cluster must be what the tests ran.
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withCloseClientOnStop(false)
                  .withStopOnInformerErrorDuringStartup(true);
              if (s.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    leaderElection(s, closing, webhooks::startDelivering));
              }
            });
    EndpointReconciler endpoints =
        new EndpointReconciler(
            new EndpointReconciler.Config(
                s.operatorNamespace(),
                s.gatewayNamespace(),
                s.presetsConfigMap(),
                s.maxReconcileInterval(),
                s.drainDelay(),
                s.identity(),
                s.requireDeclaredProjects(),
                EndpointReconciler.loadSignal(
                    s.gatewayNamespace(), s.gatewayService(), s.loadPollPeriod())),
            s.clock(),
            metrics,
            ledger,
            webhooks.events(),
            s.loadWindow());
    operator.register(
        endpoints,
        c -> {
          // Deletions reach the reconciler too (no finalizer): the journal's Deleted entry.
          c.withName("inferenceendpoint")
              .withReconciliationMaxInterval(s.maxReconcileInterval())
              .withTriggerReconcilerOnAllEvents(true);
          if (!s.watchNamespaces().isEmpty()) {
            c.settingNamespaces(s.watchNamespaces());
          }
        });
    operator.register(
        new GpuTierReconciler(
            metrics, s.watchNamespaces(), s.maxReconcileInterval(), s.clock(), s.identity()),
        c -> c.withName("gputier").withReconciliationMaxInterval(s.maxReconcileInterval()));
    webhooks.register(operator, s);
    ManagementServer management;
    try {
      management =
          ManagementServer.start(
              s.managementHost(),
              s.managementPort(),
              registry,
              () ->
                  operator.getRuntimeInfo().isStarted()
                      && operator.getRuntimeInfo().allEventSourcesAreHealthy());
    } catch (IOException e) {
      ledger.close();
      throw new UncheckedIOException("management port " + s.managementPort(), e);
    }
    operator.start();
    if (!s.leaderElection()) {
      webhooks.startDelivering();
    }
    LOG.info(
        "operator {} started: watching {}, management port {}, leader election {}, ledger {}",
        s.identity(),
        s.watchNamespaces().isEmpty() ? "all namespaces" : s.watchNamespaces(),
        management.port(),
        s.leaderElection() ? "on" : "off",
        s.ledger() == null ? "off" : s.ledger());
    return new OperatorApp(operator, management, ownedClient, closing, ledger, webhooks);
  }

  /**
   * A replica that loses the lead while running must stop acting at once: it exits and restarts as
   * a follower. One that loses it because it is being closed (the simulator, tests) does not.
   */
  private static LeaderElectionConfiguration leaderElection(
      OperatorSettings s, AtomicBoolean closing, Runnable onLead) {
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> {
              LOG.info("operator {} leads", s.identity());
              onLead.run();
            },
            () -> {
              if (!closing.get()) {
                LOG.error("operator {} lost the lead; exiting", s.identity());
                System.exit(1);
              }
            },
            leader -> LOG.info("operator {}: the leader is {}", s.identity(), leader));
    return new LeaderElectionConfiguration(
        OperatorSettings.LEADER_LEASE,
        s.operatorNamespace(),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        s.identity(),
        callbacks,
        false);
  }

  private static KubernetesClient newClient(String kubeconfig) {
    if (kubeconfig == null) {
      return new KubernetesClientBuilder().build();
    }
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(Path.of(kubeconfig))))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("kubeconfig " + kubeconfig, e);
    }
  }

  /** The operator's ledger (journal, GPU intervals, rollup), for the sim and tests. */
  public OperatorLedger ledger() {
    return ledger;
  }

  public int managementPort() {
    return management.port();
  }

  @Override
  public void close() {
    closing.set(true);
    try {
      webhooks.close();
      operator.stop();
    } finally {
      // After the reconcilers: what they journaled is written or spooled.
      ledger.close();
      management.close();
      if (ownedClient != null) {
        ownedClient.close();
      }
    }
  }
}
