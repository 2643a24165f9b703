package io.dormouse.gateway;

import ch.qos.logback.classic.LoggerContext;
import io.dormouse.ledger.LedgerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dormouse-gateway}: the OpenAI-compatible data path. Options default from env vars. */
@Command(
    name = "dormouse-gateway",
    mixinStandardHelpOptions = true,
    description = "OpenAI-compatible gateway: API keys, rate limits, wake-on-request, streaming.")
public final class GatewayMain implements Callable<Integer> {

  @Option(
      names = "--namespace",
      defaultValue = "${env:DORMOUSE_GATEWAY_NAMESPACE}",
      description =
          "Own namespace, where key Secrets live (env DORMOUSE_GATEWAY_NAMESPACE, else POD_NAMESPACE, else dormouse-system).")
  String namespace;

  @Option(
      names = "--service",
      defaultValue = "${env:DORMOUSE_GATEWAY_SERVICE:-dormouse-gateway}",
      description =
          "Own Service, whose ready endpoints count the replicas (default ${DEFAULT-VALUE}).")
  String service;

  @Option(names = "--host", defaultValue = "${env:DORMOUSE_HOST:-0.0.0.0}")
  String host;

  @Option(names = "--port", defaultValue = "${env:DORMOUSE_PORT:-8080}")
  int port;

  @Option(names = "--management-port", defaultValue = "${env:DORMOUSE_MANAGEMENT_PORT:-9090}")
  int managementPort;

  @Option(
      names = "--pod-name",
      defaultValue = "${env:POD_NAME:-dormouse-gateway}",
      description = "Holder identity written on activity Leases.")
  String podName;

  @Option(
      names = "--kubeconfig",
      description = "Kubeconfig file; default: KUBECONFIG or in-cluster.")
  Path kubeconfig;

  @Option(
      names = "--event-loops",
      defaultValue = "${env:DORMOUSE_EVENT_LOOPS:-0}",
      description = "Event loops serving the API; 0: one per available processor (default).")
  int eventLoops;

  @Option(
      names = "--native-transport",
      negatable = true,
      defaultValue = "${env:DORMOUSE_NATIVE_TRANSPORT:-false}",
      fallbackValue = "true",
      description = "Netty's epoll transport where it loads, else NIO (default ${DEFAULT-VALUE}).")
  boolean nativeTransport;

  @Option(
      names = "--peer-secret-file",
      defaultValue = "${env:DORMOUSE_PEER_SECRET_FILE}",
      description =
          "File holding the secret gateway replicas present to each other on the management port"
              + " (env DORMOUSE_PEER_SECRET_FILE; else env DORMOUSE_PEER_SECRET). Without one,"
              + " each replica enforces limit / replicas.")
  Path peerSecretFile;

  @Option(
      names = "--shutdown-grace",
      defaultValue = "${env:DORMOUSE_SHUTDOWN_GRACE_SECONDS:-30}",
      description = "Seconds in-flight responses may take to finish at shutdown.")
  long shutdownGraceSeconds;

  @Option(
      names = "--require-declared-projects",
      negatable = true,
      defaultValue = "${env:DORMOUSE_REQUIRE_DECLARED_PROJECTS:-false}",
      fallbackValue = "true",
      description =
          "Endpoints in a namespace without the dormouse.io/allowed-projects annotation serve no project.")
  boolean requireDeclaredProjects;

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "dormouse-gateway-logback.xml");
    }
    System.exit(new CommandLine(new GatewayMain()).execute(args));
  }

  static String resolveNamespace(String option, String podNamespace) {
    if (option != null && !option.isBlank()) {
      return option;
    }
    return podNamespace != null && !podNamespace.isBlank() ? podNamespace : "dormouse-system";
  }

  GatewaySettings settings() {
    return GatewaySettings.builder()
        .namespace(resolveNamespace(namespace, System.getenv("POD_NAMESPACE")))
        .service(service)
        .host(host)
        .port(port)
        .managementPort(managementPort)
        .podName(podName)
        .kubeconfig(kubeconfig)
        .shutdownGrace(Duration.ofSeconds(shutdownGraceSeconds))
        .eventLoops(eventLoops)
        .nativeTransport(nativeTransport)
        .peerSecret(peerSecret())
        .requireDeclaredProjects(requireDeclaredProjects)
        // The chart's DORMOUSE_LEDGER_* variables; without DORMOUSE_LEDGER_ENABLED=true, no ledger.
        .ledger(LedgerSettings.fromEnvironment(System.getenv()).orElse(null))
        .build();
  }

  private String peerSecret() {
    if (peerSecretFile != null) {
      try {
        return java.nio.file.Files.readString(peerSecretFile).strip();
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("cannot read the peer secret " + peerSecretFile, e);
      }
    }
    return System.getenv("DORMOUSE_PEER_SECRET");
  }

  @Override
  public Integer call() throws InterruptedException {
    GatewayApp app = GatewayApp.start(settings());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  flushLogs();
                  stopped.countDown();
                },
                "dormouse-gateway-shutdown"));
    stopped.await();
    return 0;
  }

  /** The access log is written by a background appender: its queue must reach stdout first. */
  private static void flushLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
      logback.stop();
    }
  }
}
