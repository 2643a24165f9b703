package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.auth.ApiKey;
import io.dormouse.ledger.embedded.EmbeddedPostgresServer;
import io.dormouse.sim.cluster.NodePool;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade from the previous release (the committed baseline, {@code
 * helm/src/test/resources/baseline/X.Y.Z}) while clients keep calling: the world starts on that
 * release's CRDs and on a ledger database its migrations made, with two endpoints Ready and two
 * gateway replicas; then, as docs/operations.md orders it, the CRDs are replaced by this build's,
 * the operator is replaced (stopped, a new one started on the same status), and the gateway
 * replicas are replaced one at a time. Throughout: every request is answered 200 and every stream
 * completes, no endpoint leaves Ready, every request has exactly one usage row, and each migration
 * was applied once.
 */
class UpgradeInTheSimTest {

  private static final Duration BOUND = Duration.ofSeconds(120);
  private static final String NS = "team-a";
  private static final List<String> ENDPOINTS = List.of("chat", "code");
  private static final int CLIENTS = 4;
  private static final Path BASELINES =
      Path.of("..", "helm", "src", "test", "resources", "baseline");

  private static final String TIERS =
      """
      apiVersion: dormouse.io/v1alpha1
      kind: GpuTier
      metadata:
        name: spot
      spec:
        capacityType: spot
        nodeSelector: {sim.dormouse.io/capacity: spot}
        pricePerGpuHour: "1.20"
      """;

  @TempDir Path dir;
  private SimWorld world;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(30))
          .build();

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  void anUpgradeFromThePreviousReleaseRefusesCutsAndLosesNothing() throws Exception {
    Path baseline = previousRelease();
    world =
        SimWorld.start(
            new SimWorld.Settings()
                .workDir(dir)
                .namespaces(List.of(NS))
                .preStopDelay(Duration.ofSeconds(1))
                .pool("spot", new NodePool(1, 8))
                .crds(startingCrds(baseline))
                .ledgerSetup(jdbcUrl -> migrate(jdbcUrl, baseline.resolve("ledger/migrations")))
                .gatewayReplicas(2)
                .gatewayPreStop(Duration.ofSeconds(1)));
    assertThat(printerColumns("inferenceendpoints.dormouse.io"))
        .as("the previous release's CRD is installed")
        .isEqualTo(printerColumns(crdsOf(baseline), "inferenceendpoints.dormouse.io"));
    List<String> released = appliedMigrations();
    assertThat(released)
        .as("the previous release's migrations, applied before the world")
        .isNotEmpty();

    world.apply(TIERS);
    ENDPOINTS.forEach(name -> world.apply(endpoint(name)));
    ApiKey key = world.mintKey("search");
    for (String name : ENDPOINTS) {
      assertThat(send(key, world.gatewayServiceUrls().get(0), name, false).statusCode())
          .isEqualTo(200);
    }
    await().atMost(BOUND).until(() -> ENDPOINTS.stream().allMatch(n -> phase(n) == Phase.Ready));

    Map<String, List<Phase>> phases = new TreeMap<>();
    SharedIndexInformer<InferenceEndpoint> watch = watchPhases(phases);
    Load load = new Load(key);
    try {
      load.start();
      await().atMost(BOUND).until(() -> load.answered.get() >= 20);

      // 1. The CRDs: this build's replace the release's, under running endpoints.
      for (String crd : currentCrds()) {
        world.apply(crd);
      }
      assertThat(printerColumns("inferenceendpoints.dormouse.io"))
          .isEqualTo(printerColumns(currentCrds(), "inferenceendpoints.dormouse.io"));
      long afterCrds = load.answered.get();
      await().atMost(BOUND).until(() -> load.answered.get() >= afterCrds + 20);

      // 2. The operator: the old one stops, a new one goes on from the status it finds. (The sim
      // runs one operator without leader election: its API server has no SelfSubjectRulesReview.)
      world.restartOperator();
      await().atMost(BOUND).until(() -> world.operator() != null);
      long afterOperator = load.answered.get();
      await().atMost(BOUND).until(() -> load.answered.get() >= afterOperator + 20);

      // 3. The gateway replicas, one at a time: drained, replaced, serving, then the next.
      for (int i = 0; i < world.gatewayReplicas(); i++) {
        world.replaceGateway(i);
        long afterReplica = load.answered.get();
        await().atMost(BOUND).until(() -> load.answered.get() >= afterReplica + 20);
      }
    } finally {
      load.stop();
      watch.close();
    }

    assertThat(load.failures).as("requests refused or cut during the upgrade").isEmpty();
    assertThat(load.streams.get()).as("streams completed").isPositive();
    assertThat(load.plain.get()).as("plain answers").isPositive();
    assertThat(phases)
        .as("phases the endpoints went through during the upgrade")
        .containsOnlyKeys(ENDPOINTS)
        .allSatisfy((name, seen) -> assertThat(seen).containsOnly(Phase.Ready));
    long sent = ENDPOINTS.size() + load.answered.get(); // the wake-up requests, then the load
    await()
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(count("SELECT count(*) FROM usage")).isEqualTo(sent));
    assertThat(count("SELECT count(DISTINCT request_id) FROM usage")).isEqualTo(sent);
    assertThat(count("SELECT count(*) FROM usage WHERE status <> 200")).isZero();
    List<String> history = appliedMigrations();
    assertThat(history).as("each migration applied once").doesNotHaveDuplicates();
    assertThat(history)
        .as("the release's migrations first, upgraded in place")
        .startsWith(released.toArray(String[]::new));
    assertThat(history).containsExactlyElementsOf(currentMigrationVersions());
  }

  /** Clients calling continuously through the gateway Service: plain and streamed, both models. */
  private final class Load {
    final ApiKey key;
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong answered = new AtomicLong();
    final AtomicLong streams = new AtomicLong();
    final AtomicLong plain = new AtomicLong();
    final Queue<String> failures = new ConcurrentLinkedQueue<>();
    final ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    final List<Future<?>> clients = new ArrayList<>();

    Load(ApiKey key) {
      this.key = key;
    }

    void start() {
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.add(
            pool.submit(
                () -> {
                  for (int n = 0; running.get(); n++) {
                    boolean stream = (n + client) % 2 == 0;
                    String model = ENDPOINTS.get((n / 2 + client) % ENDPOINTS.size());
                    List<String> urls = world.gatewayServiceUrls();
                    String url = urls.get(ThreadLocalRandom.current().nextInt(urls.size()));
                    call(url, model, stream);
                  }
                }));
      }
    }

    private void call(String url, String model, boolean stream) {
      try {
        HttpResponse<String> r = send(key, url, model, stream);
        answered.incrementAndGet();
        if (r.statusCode() != 200) {
          failures.add(url + " " + model + ": " + r.statusCode() + " " + r.body());
        } else if (stream && !r.body().strip().endsWith("data: [DONE]")) {
          failures.add(url + " " + model + ": stream cut: " + r.body());
        } else if (!stream && !r.body().contains("\"choices\"")) {
          failures.add(url + " " + model + ": no completion: " + r.body());
        } else {
          (stream ? streams : plain).incrementAndGet();
        }
      } catch (IOException e) {
        failures.add(url + " " + model + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failures.add(url + " " + model + ": interrupted");
      }
    }

    void stop() throws Exception {
      running.set(false);
      for (Future<?> f : clients) {
        f.get(BOUND.toSeconds(), TimeUnit.SECONDS);
      }
      pool.shutdown();
    }
  }

  private HttpResponse<String> send(ApiKey key, String url, String model, boolean stream)
      throws IOException, InterruptedException {
    String body =
        "{\"model\":\""
            + model
            + "\",\"stream\":"
            + stream
            + ",\"max_tokens\":12,\"ignore_eos\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Are you awake?\"}]}";
    return http.send(
        HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + key.secret())
            .header("Content-Type", "application/json")
            .timeout(BOUND)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String endpoint(String name) {
    return """
        apiVersion: dormouse.io/v1alpha1
        kind: InferenceEndpoint
        metadata:
          name: %s
          namespace: team-a
        spec:
          model:
            name: org/%s
          engine:
            env:
              - {name: DORMOUSE_SIM_STARTUP, value: 1s}
              - {name: DORMOUSE_SIM_TPS, value: "100"}
          tiers: [spot]
          scaling:
            idleTimeout: 10m
            wakeTimeout: 2m
          access:
            projects: [search]
        """
        .formatted(name, name);
  }

  /** Every phase each endpoint's status shows from now on, as a watch sees them. */
  private SharedIndexInformer<InferenceEndpoint> watchPhases(Map<String, List<Phase>> phases) {
    return world
        .client()
        .resources(InferenceEndpoint.class)
        .inNamespace(NS)
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(InferenceEndpoint ie) {
                record(ie);
              }

              @Override
              public void onUpdate(InferenceEndpoint old, InferenceEndpoint ie) {
                record(ie);
              }

              @Override
              public void onDelete(InferenceEndpoint ie, boolean unknown) {
                record(ie);
              }

              private void record(InferenceEndpoint ie) {
                Phase phase = ie.getStatus() == null ? null : ie.getStatus().getPhase();
                synchronized (phases) {
                  phases
                      .computeIfAbsent(ie.getMetadata().getName(), n -> new ArrayList<>())
                      .add(phase);
                }
              }
            });
  }

  private Phase phase(String name) {
    InferenceEndpoint ie =
        world.client().resources(InferenceEndpoint.class).inNamespace(NS).withName(name).get();
    return ie == null || ie.getStatus() == null ? null : ie.getStatus().getPhase();
  }

  private List<Object> printerColumns(String crd) {
    return columns(
        world.client().apiextensions().v1().customResourceDefinitions().withName(crd).get());
  }

  private static List<Object> printerColumns(List<String> yamls, String crd) {
    return yamls.stream()
        .map(
            y ->
                io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                    y, CustomResourceDefinition.class))
        .filter(c -> c.getMetadata().getName().equals(crd))
        .findFirst()
        .map(UpgradeInTheSimTest::columns)
        .orElseThrow();
  }

  private static List<Object> columns(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
        .map(c -> (Object) c.getName())
        .toList();
  }

  /** The newest baseline directory: the release an upgrade starts from. */
  private static Path previousRelease() throws IOException {
    try (Stream<Path> dirs = Files.list(BASELINES)) {
      return dirs.filter(Files::isDirectory)
          .max(Comparator.comparing(d -> version(d.getFileName().toString())))
          .orElseThrow(() -> new AssertionError("no baseline in " + BASELINES.toAbsolutePath()));
    }
  }

  /** X.Y.Z as a comparable number (pre-releases are never baselines). */
  private static long version(String name) {
    String[] parts = name.split("[.-]");
    return Long.parseLong(parts[0]) * 1_000_000L
        + Long.parseLong(parts[1]) * 1_000L
        + Long.parseLong(parts[2]);
  }

  private static List<String> crdsOf(Path baseline) {
    try (Stream<Path> files = Files.list(baseline.resolve("crds"))) {
      return files.sorted().map(UpgradeInTheSimTest::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The previous release's CRDs, plus the kinds it did not have yet: the "old" operator here is
   * this build's, which watches them, while the previous release's never looked at them.
   */
  private static List<String> startingCrds(Path baseline) {
    List<String> old = crdsOf(baseline);
    java.util.Set<String> oldNames =
        old.stream().map(UpgradeInTheSimTest::crdName).collect(java.util.stream.Collectors.toSet());
    return Stream.concat(
            old.stream(), currentCrds().stream().filter(c -> !oldNames.contains(crdName(c))))
        .toList();
  }

  private static String crdName(String yaml) {
    return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
            yaml, io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class)
        .getMetadata()
        .getName();
  }

  private static List<String> currentCrds() {
    return io.dormouse.sim.apiserver.SimApiServer.DORMOUSE_CRDS.stream()
        .map(
            resource -> {
              try (InputStream in =
                  UpgradeInTheSimTest.class.getClassLoader().getResourceAsStream(resource)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .toList();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The release's migrations, applied as that release's processes applied them. */
  private static void migrate(String jdbcUrl, Path migrations) {
    Flyway.configure()
        .dataSource(jdbcUrl, EmbeddedPostgresServer.USER, "")
        .locations("filesystem:" + migrations.toAbsolutePath())
        .table("ledger_schema_history")
        .load()
        .migrate();
  }

  /**
   * This build's migration versions, in order (none of them left pending in the world's database).
   */
  private List<String> currentMigrationVersions() {
    org.flywaydb.core.api.MigrationInfoService info =
        Flyway.configure()
            .locations(io.dormouse.ledger.schema.LedgerSchema.LOCATION)
            .dataSource(world.ledgerJdbcUrl(), EmbeddedPostgresServer.USER, "")
            .table("ledger_schema_history")
            .load()
            .info();
    assertThat(info.pending()).as("migrations not applied").isEmpty();
    return Stream.of(info.all()).map(m -> m.getVersion().getVersion()).toList();
  }

  private List<String> appliedMigrations() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(world.ledgerJdbcUrl(), "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version FROM ledger_schema_history WHERE success AND version IS NOT NULL"
                    + " ORDER BY installed_rank")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private long count(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(world.ledgerJdbcUrl(), "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
