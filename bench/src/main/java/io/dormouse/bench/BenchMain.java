package io.dormouse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.bench.cluster.ClusterLimitBench;
import io.dormouse.bench.cluster.ClusterLimitResult;
import io.dormouse.bench.ledger.LedgerPair;
import io.dormouse.bench.matrix.CellComparison;
import io.dormouse.bench.matrix.Endpoint;
import io.dormouse.bench.matrix.MatrixRunner;
import io.dormouse.bench.matrix.Target;
import io.dormouse.bench.operatorscale.OperatorScaleBench;
import io.dormouse.bench.operatorscale.OperatorScaleResult;
import io.dormouse.bench.report.BenchReport;
import io.dormouse.bench.report.Machine;
import io.dormouse.bench.report.MarkdownReport;
import io.dormouse.bench.report.TargetChecks;
import io.dormouse.bench.targets.EngineProcess;
import io.dormouse.bench.targets.GatewayProcess;
import io.dormouse.bench.targets.MockApi;
import io.dormouse.bench.targets.NginxConfig;
import io.dormouse.bench.targets.NginxServer;
import io.dormouse.bench.targets.Ports;
import io.dormouse.bench.wake.WakeBench;
import io.dormouse.bench.wake.WakeResult;
import io.dormouse.ledger.embedded.EmbeddedPostgresServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark command: starts the engine simulator, nginx and the gateway (each its own process,
 * all on 127.0.0.1), runs the matrix, the wake path and operator scale, and writes results.json and
 * results.md.
 */
@Command(
    name = "dormouse-bench",
    mixinStandardHelpOptions = true,
    description = "Gateway vs direct vs nginx, the wake path and operator scale.")
public final class BenchMain implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(BenchMain.class);

  @Option(names = "--mode", defaultValue = "quick", description = "quick or full")
  String mode;

  @Option(names = "--out", defaultValue = "bench/target", description = "Where results go.")
  Path out;

  @Option(
      names = "--targets",
      split = ",",
      defaultValue = "DIRECT,GATEWAY,NGINX,NGINX_AUTO",
      description =
          "Subset of DIRECT,GATEWAY,GATEWAY_LEDGER,NGINX,NGINX_AUTO (GATEWAY_LEDGER with GATEWAY:"
              + " the ledger's cost, paired).")
  List<Target> targets;

  @Option(
      names = "--cells",
      split = ",",
      description =
          "Only these cells of the matrix, by name (e.g. \"1KB c=64\",\"1KB c=1\"); default: all.")
  List<String> cellNames;

  @Option(names = "--skip-matrix")
  boolean skipMatrix;

  @Option(names = "--skip-wake")
  boolean skipWake;

  @Option(names = "--skip-operator")
  boolean skipOperator;

  @Option(
      names = "--operator-autoscaling",
      description =
          "Operator scale with every endpoint in the autoscaling form (minReplicas 0, maxReplicas"
              + " 4): the autoscaler and the load signal run for each.")
  boolean operatorAutoscaling;

  @Option(names = "--skip-cluster", description = "Skip the cluster-wide limit accuracy run.")
  boolean skipCluster;

  /** Held, so the level sticks: JUL keeps loggers only weakly. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  public static void main(String[] args) {
    // The mock API server logs every request it answers; thousands a second in this benchmark.
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    System.exit(
        new CommandLine(new BenchMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    BenchPlan plan = BenchPlan.named(mode).onlyCells(cellNames);
    Path logs = out.resolve("bench-logs");
    Path work = Files.createDirectories(out.resolve("bench-work"));
    String startedAt = Instant.now().toString();
    List<String> notes = new ArrayList<>();
    List<CellComparison> cells = List.of();
    WakeResult wake = null;
    OperatorScaleResult operator = null;

    try (EngineProcess engine =
            EngineProcess.start("bench", WakeBench.models(plan.wakeTrials()), 0, logs);
        EngineProcess paced =
            EngineProcess.start(
                "bench-paced", List.of(), BenchPlan.PACED_TOKENS_PER_SECOND, logs)) {
      if (!skipMatrix) {
        cells =
            phase("matrix", notes, List.of(), () -> matrix(plan, engine, paced, logs, work, notes));
      }
      if (!skipWake) {
        wake = phase("wake path", notes, null, () -> wake(plan, engine, work, logs, notes));
      }
    }
    if (!skipOperator) {
      operator =
          phase(
              "operator scale",
              notes,
              null,
              () ->
                  new OperatorScaleBench(
                          plan.operatorEndpoints(),
                          plan.operatorWindow(),
                          work,
                          logs,
                          operatorAutoscaling)
                      .run());
      if (operator != null) {
        notes.add(
            "operator scale: OperatorMain in its own JVM (-Xmx1g, leader election off) against a"
                + " Fabric8 mock API server in the benchmark's process; the endpoints exist before"
                + " it starts; time counts from its process start, so it includes JVM start-up");
      }
    }
    ClusterLimitResult cluster = null;
    if (!skipCluster) {
      cluster =
          phase(
              "cluster-wide limit run",
              notes,
              null,
              () ->
                  new ClusterLimitBench(
                          work,
                          50,
                          plan.mode().equals("full")
                              ? Duration.ofSeconds(20)
                              : Duration.ofSeconds(10))
                      .run());
      if (cluster != null) {
        notes.add(
            "cluster-wide limits: the sim with 3 gateway replicas (one event loop each) sharing a"
                + " project's limit of 50 req/s over the peer exchange; keep-alive clients send"
                + " twice the limit; admitted counted after 3 s");
      }
    }
    BenchReport report =
        new BenchReport(
            plan.mode(),
            startedAt,
            Machine.here(),
            cells,
            wake,
            operator,
            cluster,
            TargetChecks.evaluate(cells, wake),
            notes);
    write(report);
    return 0;
  }

  private interface Step<T> {
    T run() throws Exception;
  }

  /** Runs one part of the benchmark; a failure is noted in the report, the rest still runs. */
  private static <T> T phase(String name, List<String> notes, T failed, Step<T> step) {
    try {
      return step.run();
    } catch (Exception e) {
      LOG.error("bench: the {} failed", name, e);
      notes.add(name + ": failed, so not in this report (" + e + ")");
      return failed;
    }
  }

  private static WakeResult wake(
      BenchPlan plan, EngineProcess engine, Path work, Path logs, List<String> notes)
      throws Exception {
    try {
      WakeResult wake =
          new WakeBench(plan.wakeTrials(), plan.waiters(), true, work, logs).run(engine);
      notes.add(
          "wake path: fresh gateway and operator processes; the benchmark played the kubelet"
              + " and the EndpointSlice controller, turning the backend ready 200 ms after the"
              + " scale-up write; instants taken in the mock API server's process");
      return wake;
    } catch (Exception e) {
      LOG.warn("bench: the wake path with the operator failed; the harness plays it", e);
      WakeResult wake =
          new WakeBench(plan.wakeTrials(), plan.waiters(), false, work, logs).run(engine);
      notes.add(
          "wake path: the run with the real operator failed ("
              + e.getMessage()
              + "); the benchmark played the operator, turning the backend ready 200 ms after"
              + " the Lease write");
      return wake;
    }
  }

  private List<CellComparison> matrix(
      BenchPlan plan,
      EngineProcess engine,
      EngineProcess paced,
      Path logs,
      Path work,
      List<String> notes)
      throws Exception {
    {
      Map<Target, Endpoint> endpoints = new EnumMap<>(Target.class);
      List<AutoCloseable> running = new ArrayList<>();
      try {
        if (targets.contains(Target.DIRECT)) {
          endpoints.put(
              Target.DIRECT,
              new Endpoint(
                  engine.chatUrl(), paced.chatUrl(), "bench", "bench-paced", engine.pid(), null));
        }
        if (targets.contains(Target.GATEWAY)) {
          MockApi api = MockApi.start();
          running.add(0, api);
          GatewayProcess gateway = GatewayProcess.start(api, work, logs, c -> {});
          running.add(0, gateway);
          GatewayProcess.addEndpoint(api.client(), "bench", Phase.Ready, engine.port(), 1024);
          GatewayProcess.addEndpoint(api.client(), "bench-paced", Phase.Ready, paced.port(), 1024);
          gateway.awaitRoute("bench", Duration.ofSeconds(30));
          gateway.awaitRoute("bench-paced", Duration.ofSeconds(30));
          notes.add(
              "gateway: GatewayMain in its own JVM (-Xmx512m, default GC), API key checked,"
                  + " per-project request and token buckets checked (limits set above the load),"
                  + " usage taps and access log on, watching a Fabric8 mock API server");
          endpoints.put(
              Target.GATEWAY,
              new Endpoint(
                  gateway.chatUrl(),
                  gateway.chatUrl(),
                  "bench",
                  "bench-paced",
                  gateway.pid(),
                  gateway.apiKey()));
        }
        if (targets.contains(Target.GATEWAY_LEDGER)) {
          // The same gateway, writing its usage rows to a real PostgreSQL 17 (fsync on).
          EmbeddedPostgresServer pg =
              EmbeddedPostgresServer.start(Files.createDirectories(work.resolve("ledger-pg")), 0);
          running.add(0, pg);
          String jdbcUrl = pg.createDatabase("bench");
          MockApi api = MockApi.start();
          running.add(0, api);
          GatewayProcess gateway =
              GatewayProcess.start(
                  api,
                  work,
                  logs,
                  c -> {},
                  "gateway-ledger",
                  Map.of(
                      "DORMOUSE_LEDGER_ENABLED",
                      "true",
                      "DORMOUSE_LEDGER_JDBC_URL",
                      jdbcUrl,
                      "DORMOUSE_LEDGER_USER",
                      EmbeddedPostgresServer.USER,
                      "DORMOUSE_LEDGER_PASSWORD",
                      "",
                      "DORMOUSE_LEDGER_SPOOL_DIR",
                      work.resolve("ledger-spool").toString()));
          running.add(0, gateway);
          GatewayProcess.addEndpoint(api.client(), "bench", Phase.Ready, engine.port(), 1024);
          GatewayProcess.addEndpoint(api.client(), "bench-paced", Phase.Ready, paced.port(), 1024);
          gateway.awaitRoute("bench", Duration.ofSeconds(30));
          gateway.awaitRoute("bench-paced", Duration.ofSeconds(30));
          notes.add(
              "gateway-ledger: the gateway as above, plus one usage row per request to an embedded"
                  + " PostgreSQL 17 on this machine (fsync on, COPY batches every 200 ms)");
          endpoints.put(
              Target.GATEWAY_LEDGER,
              new Endpoint(
                  gateway.chatUrl(),
                  gateway.chatUrl(),
                  "bench",
                  "bench-paced",
                  gateway.pid(),
                  gateway.apiKey()));
        }
        for (Target nginxTarget : List.of(Target.NGINX, Target.NGINX_AUTO)) {
          if (!targets.contains(nginxTarget)) {
            continue;
          }
          int port = Ports.free();
          int pacedPort = Ports.free();
          NginxServer nginx =
              NginxServer.start(
                  work.resolve(nginxTarget.label()),
                  nginxTarget == Target.NGINX ? "1" : "auto",
                  List.of(
                      new NginxConfig.Route(port, engine.port()),
                      new NginxConfig.Route(pacedPort, paced.port())),
                  logs);
          running.add(nginx);
          endpoints.put(
              nginxTarget,
              new Endpoint(chat(port), chat(pacedPort), "bench", "bench-paced", nginx.pid(), null));
        }
        MatrixRunner runner = new MatrixRunner(plan, endpoints, logs);
        runner.warmUp(plan.jitWarmup());
        List<CellComparison> cells = runner.run();
        for (String cell : List.of("1KB c=64", "stream-64 c=64")) {
          LedgerPair.of(runner.runs(), cell)
              .ifPresent(
                  pair -> {
                    LOG.info("bench: {}", pair.note());
                    notes.add(pair.note());
                  });
        }
        return cells;
      } finally {
        for (AutoCloseable c : running) {
          c.close();
        }
      }
    }
  }

  private static URI chat(int port) {
    return URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
  }

  private void write(BenchReport report) throws Exception {
    Files.createDirectories(out);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Path results = out.resolve("results.json");
    json.writeValue(results.toFile(), report);
    Path md = out.resolve("results.md");
    Files.writeString(md, MarkdownReport.render(report));
    LOG.info("bench: wrote {} and {}", results, md);
    System.out.println(MarkdownReport.render(report));
  }
}
