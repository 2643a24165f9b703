package io.dormouse.sim;

import ch.qos.logback.classic.Level;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.gateway.auth.ApiKey;
import io.dormouse.sim.cluster.NodePool;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The run command: starts the sim world with a spot and an on-demand GpuTier and a sample endpoint,
 * prints an API key, the gateway URL and the kubeconfig, sends one cold request that wakes the
 * endpoint and streams its answer, then stays up, printing phase changes, until interrupted.
 */
@Command(
    name = "dormouse-sim",
    mixinStandardHelpOptions = true,
    description = "Runs Dormouse on this machine: a simulated cluster, the operator, the gateway.")
public final class SimMain implements Callable<Integer> {

  static final String TIERS =
      """
      apiVersion: dormouse.io/v1alpha1
      kind: GpuTier
      metadata:
        name: spot
      spec:
        capacityType: spot
        gpuProduct: SIM-A100-80GB
        nodeSelector: {sim.dormouse.io/capacity: spot}
        pricePerGpuHour: "1.20"
      ---
      apiVersion: dormouse.io/v1alpha1
      kind: GpuTier
      metadata:
        name: on-demand
      spec:
        capacityType: on-demand
        gpuProduct: SIM-A100-80GB
        nodeSelector: {sim.dormouse.io/capacity: on-demand}
        pricePerGpuHour: "4.10"
      """;

  static final String ENDPOINT =
      """
      apiVersion: dormouse.io/v1alpha1
      kind: InferenceEndpoint
      metadata:
        name: llama
        namespace: default
      spec:
        model:
          name: meta-llama/Meta-Llama-3-8B-Instruct
        engine:
          env:
            - {name: DORMOUSE_SIM_STARTUP, value: %s}
            - {name: DORMOUSE_SIM_TTFT, value: 150ms}
            - {name: DORMOUSE_SIM_TPS, value: "%s"}
        tiers: [spot, on-demand]
        scaling:
          idleTimeout: %s
          wakeTimeout: 5m
          tierStartTimeout: 20s
        access:
          projects: [demo]
      """;

  @Option(
      names = "--work-dir",
      defaultValue = "target/sim",
      description = "Where the kubeconfig goes")
  Path workDir;

  @Option(
      names = "--idle-timeout",
      defaultValue = "2m",
      description = "The sample endpoint's idle timeout")
  String idleTimeout;

  @Option(names = "--startup", defaultValue = "5s", description = "The simulated model load time")
  String startup;

  @Option(names = "--tps", defaultValue = "25", description = "Simulated tokens per second")
  String tps;

  @Option(
      names = "--spot-gpus",
      defaultValue = "8",
      description =
          "GPUs of the spot tier's node (one node); 0: no spot node, which shows the"
              + " fallback to on-demand")
  int spotGpus;

  @Option(names = "--no-request", description = "Do not send the cold request")
  boolean noRequest;

  @Option(names = "--exit", description = "Exit after the cold request instead of staying up")
  boolean exit;

  @Option(names = "--verbose", description = "Show the components' logs")
  boolean verbose;

  private final PrintStream out;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final java.util.concurrent.atomic.AtomicBoolean closing =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile SimWorld world;

  SimMain(PrintStream out) {
    this.out = out;
  }

  /** Prints straight to the process's stdout, flushed per line, also under exec:java. */
  public SimMain() {
    this(
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out),
            true,
            java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public Integer call() throws Exception {
    quietLogs();
    long started = System.nanoTime();
    out.print("Starting the Dormouse sim:");
    out.flush();
    SimWorld world =
        SimWorld.start(
            new SimWorld.Settings()
                .workDir(workDir)
                .progress(
                    step -> {
                      out.print(" " + step + ",");
                      out.flush();
                    })
                .pool("spot", new NodePool(spotGpus == 0 ? 0 : 1, Math.max(spotGpus, 1)))
                .pool("on-demand", new NodePool(1, 8)));
    this.world = world;
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
    world.apply(TIERS);
    world.apply(ENDPOINT.formatted(startup, tps, idleTimeout));
    ApiKey key = world.mintKey("demo");
    out.printf(" up in %.1f s%n", (System.nanoTime() - started) / 1e9);
    out.println(
        String.join(
            "\n",
            "",
            "Dormouse sim is running (everything listens on 127.0.0.1)",
            "  gateway      " + world.gatewayUrl() + "   (OpenAI API: /v1/...)",
            "  API key      " + key.secret() + "   (project demo; shown once)",
            "  kubeconfig   " + world.kubeconfig(),
            "  endpoint     default/llama on tiers [spot, on-demand], idle timeout " + idleTimeout,
            "  nodes        spot: "
                + (spotGpus == 0 ? "none" : "1 node of " + spotGpus + " GPUs")
                + "; on-demand: 1 node of 8 GPUs",
            "  api server   " + world.apiServerUrl(),
            "  operator     " + world.operatorManagementUrl() + "/metrics   (also /livez, /readyz)",
            "  gateway mgmt " + world.gatewayManagementUrl() + "/metrics   (also /livez, /readyz)",
            "  ledger       " + world.ledgerPsqlUrl() + "   (psql; PostgreSQL 17, embedded)",
            "",
            "  export KUBECONFIG=" + world.kubeconfig(),
            "  kubectl get ie",
            "  curl "
                + world.gatewayUrl()
                + "/v1/chat/completions -H 'Authorization: Bearer "
                + key.secret()
                + "' \\",
            "    -H 'Content-Type: application/json' -d '{\"model\":\"llama\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"Hello\"}]}'",
            "  psql " + world.ledgerPsqlUrl() + " -c 'SELECT count(*) FROM usage'",
            "  " + usageCommand(world),
            ""));
    try (Watch phases = watchPhases(world)) {
      if (!noRequest) {
        coldRequest(world.gatewayUrl(), key);
      }
      if (exit) {
        return 0;
      }
      out.println(
          "\nup until interrupted (Ctrl-C); endpoint phase changes and deletions show as they"
              + " happen");
      stopped.await();
    }
    return 0;
  }

  /**
   * The {@code dormouse usage} line for this world's ledger: the CLI's jar as the README's build
   * leaves it, pointed at the embedded database (user postgres, no password).
   */
  static String usageCommand(SimWorld world) {
    Path jar = Path.of("cli", "target", "dormouse-cli.jar");
    if (!java.nio.file.Files.exists(jar)) {
      jar = Path.of("..", "cli", "target", "dormouse-cli.jar"); // run from the sim module
    }
    return "java -jar "
        + jar.toAbsolutePath().normalize()
        + " usage --db "
        + world.ledgerJdbcUrl()
        + " --db-user "
        + io.dormouse.ledger.embedded.EmbeddedPostgresServer.USER
        + " --by project,model";
  }

  /** Closes the world (Ctrl-C does it through the shutdown hook); the command then returns. */
  void stop() {
    SimWorld running = world;
    if (running != null && closing.compareAndSet(false, true)) {
      out.println("\nstopping the sim world");
      running.close();
    }
    stopped.countDown();
  }

  /**
   * Without --verbose only the sim's own lines show: the components log warnings and errors only,
   * and Vert.x's blocked-thread notices (a busy machine) not at all.
   */
  private void quietLogs() {
    if (verbose) {
      return;
    }
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.WARN);
    ((ch.qos.logback.classic.Logger)
            LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker"))
        .setLevel(Level.OFF);
  }

  private Watch watchPhases(SimWorld world) {
    Map<String, String> last = new ConcurrentHashMap<>();
    return world
        .client()
        .resources(InferenceEndpoint.class)
        .inAnyNamespace()
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, InferenceEndpoint ie) {
                String name = ie.getMetadata().getNamespace() + "/" + ie.getMetadata().getName();
                if (action == Action.DELETED) {
                  last.remove(name);
                  out.printf(
                      "%s  endpoint %s: deleted%n",
                      LocalTime.now().truncatedTo(ChronoUnit.SECONDS), name);
                  return;
                }
                if (ie.getStatus() == null || ie.getStatus().getPhase() == null) {
                  return;
                }
                String phase = ie.getStatus().getPhase().name();
                String before = last.put(name, phase);
                if (!phase.equals(before)) {
                  String tier = ie.getStatus().getActiveTier();
                  out.printf(
                      "%s  endpoint %s: %s%s%s%n",
                      LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
                      name,
                      before == null ? "" : before + " -> ",
                      phase,
                      (tier == null ? "" : " on " + tier)
                          + (ie.getStatus().getMessage() == null
                              ? ""
                              : " (" + ie.getStatus().getMessage() + ")"));
                }
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  /** Sends one chat request to the sleeping endpoint and prints the answer as it streams. */
  private void coldRequest(String gateway, ApiKey key) throws IOException, InterruptedException {
    out.println("sending a cold request to llama; it waits while the endpoint wakes ...");
    long start = System.nanoTime();
    HttpResponse<Stream<String>> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + key.secret())
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofMinutes(6))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"llama\",\"stream\":true,\"max_tokens\":40,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":"
                                + "\"Why do dormice sleep so long?\"}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() != 200) {
      out.println(
          "the gateway answered "
              + response.statusCode()
              + ": "
              + String.join("\n", response.body().toList()));
      return;
    }
    boolean[] first = {true};
    response
        .body()
        .filter(l -> l.startsWith("data: ") && !l.equals("data: [DONE]"))
        .forEach(
            l -> {
              JsonObject chunk = new JsonObject(l.substring(6));
              if (chunk.containsKey("error")) {
                out.println("\n[error] " + chunk.getJsonObject("error").getString("message"));
                return;
              }
              var choices = chunk.getJsonArray("choices");
              if (choices == null || choices.isEmpty()) {
                return;
              }
              String delta =
                  choices
                      .getJsonObject(0)
                      .getJsonObject("delta", new JsonObject())
                      .getString("content", "");
              if (first[0] && !delta.isEmpty()) {
                first[0] = false;
                out.printf("first token after %.1f s: ", (System.nanoTime() - start) / 1e9);
              }
              out.print(delta);
              out.flush();
            });
    out.printf("%nanswered in %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  public static void main(String[] args) {
    // Exiting runs the shutdown hook, which closes the world.
    System.exit(new CommandLine(new SimMain()).execute(args));
  }
}
