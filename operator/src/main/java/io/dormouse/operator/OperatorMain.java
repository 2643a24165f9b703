package io.dormouse.operator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The operator's command line; every option defaults from an environment variable. */
@Command(
    name = "dormouse-operator",
    mixinStandardHelpOptions = true,
    description = "Reconciles InferenceEndpoints and GpuTiers: sleep when idle, wake on demand.")
public final class OperatorMain implements Callable<Integer> {

  @Option(
      names = "--namespace",
      defaultValue = "${env:DORMOUSE_OPERATOR_NAMESPACE}",
      description =
          "The operator's namespace (leader Lease, presets). Env DORMOUSE_OPERATOR_NAMESPACE, else POD_NAMESPACE, else dormouse-system.")
  String namespace;

  @Option(
      names = "--gateway-namespace",
      defaultValue = "${env:DORMOUSE_GATEWAY_NAMESPACE:-dormouse-system}",
      description = "Where gateway pods run; engines admit traffic only from there.")
  String gatewayNamespace;

  @Option(
      names = "--presets-configmap",
      defaultValue = "${env:DORMOUSE_PRESETS_CONFIGMAP:-dormouse-model-presets}",
      description = "ConfigMap in the operator's namespace holding presets.yaml.")
  String presetsConfigMap;

  @Option(
      names = "--management-port",
      defaultValue = "${env:DORMOUSE_MANAGEMENT_PORT:-8081}",
      description = "Port of /metrics, /livez, /readyz; 0 for an ephemeral one.")
  int managementPort;

  @Option(
      names = "--leader-election",
      negatable = true,
      defaultValue = "${env:DORMOUSE_LEADER_ELECTION:-true}",
      fallbackValue = "true",
      description = "Only the leader of several replicas acts.")
  boolean leaderElection;

  @Option(
      names = "--watch-namespaces",
      defaultValue = "${env:DORMOUSE_WATCH_NAMESPACES:-}",
      description = "Comma-separated namespaces of InferenceEndpoints; empty for all.")
  String watchNamespaces;

  @Option(
      names = "--require-declared-projects",
      negatable = true,
      defaultValue = "${env:DORMOUSE_REQUIRE_DECLARED_PROJECTS:-false}",
      fallbackValue = "true",
      description =
          "Endpoints in a namespace without the dormouse.io/allowed-projects annotation serve no project.")
  boolean requireDeclaredProjects;

  @Option(names = "--kubeconfig", description = "A kubeconfig file instead of the usual lookup.")
  String kubeconfig;

  @Option(
      names = "--log-level",
      defaultValue = "${env:DORMOUSE_LOG_LEVEL:-INFO}",
      description = "Root log level, unless -Dlogback.configurationFile names a configuration.")
  String logLevel;

  public static void main(String[] args) {
    System.exit(new CommandLine(new OperatorMain()).execute(args));
  }

  OperatorSettings settings() {
    String ns = namespace;
    if (ns == null || ns.isBlank()) {
      ns = System.getenv("POD_NAMESPACE");
    }
    if (ns == null || ns.isBlank()) {
      ns = "dormouse-system";
    }
    Set<String> watched =
        Arrays.stream(watchNamespaces == null ? new String[0] : watchNamespaces.split(","))
            .map(String::trim)
            .filter(n -> !n.isEmpty())
            .collect(Collectors.toSet());
    return OperatorSettings.defaults()
        .withOperatorNamespace(ns)
        .withGatewayNamespace(gatewayNamespace)
        .withPresetsConfigMap(presetsConfigMap)
        .withManagementPort(managementPort)
        .withLeaderElection(leaderElection)
        .withWatchNamespaces(watched)
        .withRequireDeclaredProjects(requireDeclaredProjects)
        // DORMOUSE_LEDGER_*: the database of the webhook outbox (no Webhooks without it).
        .withLedger(io.dormouse.ledger.LedgerSettings.fromEnvironment(System.getenv()).orElse(null))
        .withKubeconfig(kubeconfig);
  }

  @Override
  public Integer call() throws InterruptedException {
    // No logback.xml ships in the jar (it would clash with embedders' own); logback's default
    // console output is kept, at this level.
    if (System.getProperty("logback.configurationFile") == null
        && LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.toLevel(logLevel, Level.INFO));
    }
    OperatorApp app = OperatorApp.start(settings());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }
}
