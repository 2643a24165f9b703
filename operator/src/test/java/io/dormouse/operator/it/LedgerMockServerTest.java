package io.dormouse.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.EndpointUsage;
import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.ledger.LedgerSettings;
import io.dormouse.ledger.embedded.EmbeddedPostgresServer;
import io.dormouse.operator.OperatorApp;
import io.dormouse.operator.OperatorSettings;
import io.dormouse.operator.testing.MutableClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's ledger against the Fabric8 mock API server and the JVM's one embedded PostgreSQL:
 * the journal of a wake → ready → hibernate → delete, GPU intervals by pod uid across a restart,
 * the rollup, and the figures in status.
 */
@EnableKubernetesMockClient(crud = true)
class LedgerMockServerTest {

  private static final Duration BOUND = Duration.ofSeconds(60);
  private static String jdbcUrl;

  KubernetesClient client;

  @TempDir Path spool;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T08:00:00Z"));
  private Cluster cluster;
  private OperatorApp operator;

  @BeforeAll
  static void database() {
    jdbcUrl = EmbeddedPostgresServer.shared().freshDatabase("ledger_operator");
  }

  @BeforeEach
  void setUp() throws Exception {
    client = PatientClient.of(client);
    execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    cluster = new Cluster(client, clock);
    cluster.installCrds();
    GpuTier a = cluster.tier("a", null);
    a.getSpec().setPricePerGpuHour("2.40");
    a.getSpec().setCurrency("EUR");
    client.resource(a).update();
    operator = OperatorApp.start(settings());
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.close();
    }
    client.close();
  }

  private OperatorSettings settings() {
    return OperatorSettings.defaults()
        .withClient(client)
        .withClock(clock)
        .withLeaderElection(false)
        .withManagementPort(0)
        .withOperatorNamespace("dormouse-system")
        .withMaxReconcileInterval(Duration.ofSeconds(1))
        .withLedger(
            LedgerSettings.of(jdbcUrl, EmbeddedPostgresServer.USER, "", spool.resolve("spool")));
  }

  @Test
  void aWakeReadyHibernateAndDeletionAreJournaledOnceEach() throws Exception {
    cluster.endpoint("llama", "a");
    await().atMost(BOUND).until(() -> phase("llama") == Phase.Hibernated);

    clock.advance(Duration.ofSeconds(5));
    cluster.request("llama");
    await().atMost(BOUND).until(() -> phase("llama") == Phase.Waking);
    clock.advance(Duration.ofSeconds(20));
    cluster.ready("llama", "a", 1);
    await().atMost(BOUND).until(() -> phase("llama") == Phase.Ready);

    clock.advance(Duration.ofSeconds(1));
    InferenceEndpoint edited = cluster.get("llama");
    edited.getSpec().getEngine().setParams(List.of("--max-model-len=4096"));
    client.resource(edited).update();
    await("the edit is seen")
        .atMost(BOUND)
        .until(
            () ->
                java.util.Objects.equals(
                    cluster.get("llama").getStatus().getObservedGeneration(),
                    cluster.get("llama").getMetadata().getGeneration()));

    clock.advance(Duration.ofMinutes(16));
    // With no pod left, Hibernating turns Hibernated on the next reconcile.
    await()
        .atMost(BOUND)
        .until(() -> phase("llama") == Phase.Hibernating || phase("llama") == Phase.Hibernated);
    clock.advance(Duration.ofSeconds(1));
    cluster.ready("llama", "a", 0);
    await().atMost(BOUND).until(() -> phase("llama") == Phase.Hibernated);
    await("the first figures from the rollup (none yet: zero)")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              EndpointUsage usage = cluster.get("llama").getStatus().getUsage();
              assertThat(usage).isNotNull();
              assertThat(usage.getRequestsToday()).isZero();
              assertThat(usage.getCostToday()).isEqualTo("0.00");
            });
    // A few more reconciles and rollups of the same state: nothing is rewritten or journaled.
    awaitReconciles();
    clock.advance(Duration.ofSeconds(1));

    client.resources(InferenceEndpoint.class).inNamespace(Cluster.NS).withName("llama").delete();

    await("every mutation in the ledger's journal, once")
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(strings("SELECT kind FROM journal WHERE endpoint = 'llama'"))
                    .as("each once, though the endpoint was reconciled every second")
                    .containsExactlyInAnyOrder(
                        "Created",
                        "Waking",
                        "Ready",
                        "SpecChanged",
                        "Hibernating",
                        "Hibernated",
                        "Deleted"));
    assertThat(strings("SELECT tier || ':' || replicas FROM journal WHERE kind = 'Waking'"))
        .containsExactly("a:1");
    assertThat(strings("SELECT reason FROM journal WHERE kind = 'Hibernating'"))
        .containsExactly("Hibernating");
    assertThat(strings("SELECT at::text FROM journal WHERE kind = 'Waking'"))
        .containsExactly("2026-01-01 08:00:05+00");
  }

  @Test
  void gpuIntervalsFollowEachPodByUidAcrossARestartAndRollUpIntoCostAndStatus() throws Exception {
    cluster.endpoint("llama", "a");
    await().atMost(BOUND).until(() -> phase("llama") == Phase.Hibernated);
    cluster.request("llama");
    await().atMost(BOUND).until(() -> phase("llama") == Phase.Waking);

    Instant bound = clock.instant();
    boundPod("p1", 2, bound);
    boundPod("p2", 1, bound);
    await("an open interval per bound pod")
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(
                        strings(
                            "SELECT pod || ':' || gpus || ':' || (ended_at IS NULL) FROM gpu_interval ORDER BY pod"))
                    .containsExactly("llama-a-p1:2:true", "llama-a-p2:1:true"));

    operator.close();
    operator = null;
    clock.advance(Duration.ofMinutes(30));
    client.pods().inNamespace(Cluster.NS).withName("llama-a-p2").delete();
    await()
        .atMost(BOUND)
        .until(() -> client.pods().inNamespace(Cluster.NS).withName("llama-a-p2").get() == null);
    operator = OperatorApp.start(settings());
    Instant restarted = clock.instant();

    await("the pod that went away while no operator ran is closed when the new one learns of it")
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(instant("SELECT ended_at FROM gpu_interval WHERE pod = 'llama-a-p2'"))
                    .isEqualTo(restarted));
    clock.advance(Duration.ofMinutes(30));
    Instant gone = clock.instant();
    client.pods().inNamespace(Cluster.NS).withName("llama-a-p1").delete();
    await("the running pod's interval carried on, and closes when it is gone")
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(instant("SELECT ended_at FROM gpu_interval WHERE pod = 'llama-a-p1'"))
                    .isEqualTo(gone));
    assertThat(strings("SELECT pod || ':' || started_at::text FROM gpu_interval ORDER BY pod"))
        .as("one interval per pod, each from its binding")
        .containsExactly("llama-a-p1:2026-01-01 08:00:00+00", "llama-a-p2:2026-01-01 08:00:00+00");

    operator.ledger().rollUp();
    // Status is written at most once a minute: a reconcile at "gone" may have written the figures
    // of an earlier rollup just before this one, and the test clock would never let the next out.
    clock.advance(Duration.ofMinutes(1));

    // p1: 2 GPUs × 1 h; p2: 1 GPU × 0.5 h; at 2.40 EUR per GPU-hour.
    assertThat(
            strings(
                "SELECT gpu_hours::text || ' ' || cost::text || ' ' || currency FROM daily_gpu_cost WHERE endpoint = 'llama' AND tier = 'a'"))
        .containsExactly("2.500000 6.000000 EUR");
    await("today's cost in status, in the tier's currency")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              EndpointUsage usage = cluster.get("llama").getStatus().getUsage();
              assertThat(usage).isNotNull();
              assertThat(usage.getCostToday()).isEqualTo("6.00");
              assertThat(usage.getCostMonthToDate()).isEqualTo("6.00");
              assertThat(usage.getCurrency()).isEqualTo("EUR");
              assertThat(usage.getRequestsToday()).isZero();
              assertThat(usage.getUpdatedTime()).isEqualTo(clock.instant().toString());
            });

    String metrics = scrape();
    assertThat(metrics)
        .contains("dormouse_ledger_database_up 1.0")
        .contains("dormouse_ledger_pending_rows ")
        .contains("dormouse_ledger_rows_written_total ");
    assertThat(costCounter(metrics))
        .as("this process's count: p1's second half hour (2 GPUs × 0.5 h × 2.40)")
        .isEqualByComparingTo("2.4");
  }

  /** A pod the scheduler bound at {@code at}; the API server gives it its uid. */
  private void boundPod(String uid, int gpus, Instant at) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(Wiring.engineName("llama", "a") + "-" + uid)
            .withNamespace(Cluster.NS)
            .addToLabels(Wiring.LABEL_ENDPOINT, "llama")
            .addToLabels(Wiring.LABEL_TIER, "a")
            .addToLabels(Wiring.LABEL_ROLE, Wiring.ROLE_ENGINE)
            .endMetadata()
            .withNewSpec()
            .withNodeName("gpu-node-1")
            .addNewContainer()
            .withName("engine")
            .withImage("vllm")
            .withNewResources()
            .addToLimits("nvidia.com/gpu", new Quantity(Integer.toString(gpus)))
            .endResources()
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("True")
            .withLastTransitionTime(at.toString())
            .endCondition()
            .endStatus()
            .build();
    client.resource(pod).create();
  }

  private Phase phase(String name) {
    InferenceEndpoint ep = cluster.get(name);
    return ep == null || ep.getStatus() == null ? null : ep.getStatus().getPhase();
  }

  /** Waits for the operator to reconcile a few more times (every second at most). */
  private void awaitReconciles() {
    String before = cluster.get("llama").getMetadata().getResourceVersion();
    long start = System.nanoTime();
    await()
        .atMost(BOUND)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> System.nanoTime() - start > Duration.ofSeconds(12).toNanos());
    assertThat(cluster.get("llama").getMetadata().getResourceVersion())
        .as("a settled endpoint's status is not rewritten")
        .isEqualTo(before);
  }

  private String scrape() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + operator.managementPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  private static BigDecimal costCounter(String metrics) {
    return metrics
        .lines()
        .filter(
            l -> l.startsWith("dormouse_endpoint_cost_total{") && l.contains("endpoint=\"llama\""))
        .map(l -> new BigDecimal(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(BigDecimal.ZERO);
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, EmbeddedPostgresServer.USER, "");
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static List<String> strings(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("SET TIME ZONE 'UTC'");
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return List.of(); // not migrated yet
      }
      throw e;
    }
    return out;
  }

  private static Instant instant(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        return null;
      }
      Timestamp t = rs.getTimestamp(1);
      return t == null ? null : t.toInstant();
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return null;
      }
      throw e;
    }
  }
}
