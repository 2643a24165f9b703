package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.auth.ApiKey;
import io.dormouse.sim.cluster.GpuHoldings;
import io.dormouse.sim.cluster.NodePool;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU time and cost against the sim's ground truth (when each pod was bound to a node and when it
 * was gone): three wake → serve → hibernate cycles, the last one falling back from spot to
 * on-demand because spot has no nodes left. Per tier the ledger's GPU-seconds are within 1 % of the
 * truth, or one reconcile interval per pod; the daily cost is GPU-hours × the tier's price.
 */
class LedgerCostInTheSimTest {

  private static final Duration BOUND = Duration.ofSeconds(120);
  private static final Duration RECONCILE = Duration.ofSeconds(1);
  private static final String NS = "team-a";
  private static final Map<String, BigDecimal> PRICE =
      Map.of("spot", new BigDecimal("1.20"), "on-demand", new BigDecimal("3.00"));

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
      ---
      apiVersion: dormouse.io/v1alpha1
      kind: GpuTier
      metadata:
        name: on-demand
      spec:
        capacityType: on-demand
        nodeSelector: {sim.dormouse.io/capacity: on-demand}
        pricePerGpuHour: "3.00"
      """;

  private static final String ENDPOINT =
      """
      apiVersion: dormouse.io/v1alpha1
      kind: InferenceEndpoint
      metadata:
        name: llama
        namespace: team-a
      spec:
        model:
          name: org/llama
        engine:
          env:
            - {name: DORMOUSE_SIM_STARTUP, value: 1s}
        tiers: [spot, on-demand]
        scaling:
          idleTimeout: 4s
          wakeTimeout: 90s
          # A replica not ready within it fails the tier over (and backs the tier off): 3 s was
          # shorter than a pod's scheduling + startup on a loaded machine, so the first wake
          # failed spot over. 30 s leaves room; the third cycle's unschedulable spot pod still
          # falls over to on-demand well within the wake timeout.
          tierStartTimeout: 30s
        access:
          projects: [search]
      """;

  @TempDir static Path dir;
  static SimWorld world;
  static ApiKey key;
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    world =
        SimWorld.start(
            new SimWorld.Settings()
                .workDir(dir)
                .namespaces(List.of(NS))
                .preStopDelay(Duration.ofSeconds(1))
                .operatorMaxReconcileInterval(RECONCILE)
                .pool("spot", new NodePool(1, 8))
                .pool("on-demand", new NodePool(1, 8)));
    world.apply(TIERS);
    world.apply(ENDPOINT);
    key = world.mintKey("search");
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  private static InferenceEndpoint endpoint() {
    return world
        .client()
        .resources(InferenceEndpoint.class)
        .inNamespace(NS)
        .withName("llama")
        .get();
  }

  private static Phase phase() {
    InferenceEndpoint ie = endpoint();
    return ie == null || ie.getStatus() == null ? null : ie.getStatus().getPhase();
  }

  private static void serveAndHibernate(String expectedTier) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(world.gatewayUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key.secret())
                .header("Content-Type", "application/json")
                .timeout(BOUND)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"llama\",\"max_tokens\":3,\"ignore_eos\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(endpoint().getStatus().getActiveTier()).isEqualTo(expectedTier);
    await().atMost(BOUND).until(() -> phase() == Phase.Hibernated);
    // Gone from the API server, so that the truth has every pod's end.
    await()
        .atMost(BOUND)
        .until(
            () ->
                world.cluster().gpuHoldings().holdings().stream().allMatch(h -> h.gone() != null));
  }

  private static Map<String, Double> ledgerGpuSeconds(Connection c) throws Exception {
    Map<String, Double> out = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT tier, sum(gpus * extract(epoch FROM ended_at - started_at)),"
                    + " count(*) FILTER (WHERE ended_at IS NULL)"
                    + " FROM gpu_interval WHERE namespace = 'team-a' GROUP BY tier")) {
      while (rs.next()) {
        assertThat(rs.getLong(3)).as("open intervals of %s", rs.getString(1)).isZero();
        out.put(rs.getString(1), rs.getDouble(2));
      }
    }
    return out;
  }

  @Test
  void gpuSecondsPerTierMatchTheSimsTruthAndCostIsGpuHoursTimesPrice() throws Exception {
    await().ignoreExceptions().atMost(BOUND).until(() -> phase() == Phase.Hibernated);
    serveAndHibernate("spot");
    serveAndHibernate("spot");
    // Spot capacity gone: the next wake's spot pod stays unbound (no GPU time), then on-demand.
    world.cluster().setPool("spot", new NodePool(0, 8));
    serveAndHibernate("on-demand");

    List<GpuHoldings.Holding> truth = world.cluster().gpuHoldings().holdings();
    Instant now = Instant.now();
    Map<String, Double> truthPerTier =
        truth.stream()
            .collect(
                Collectors.groupingBy(
                    GpuHoldings.Holding::tier, Collectors.summingDouble(h -> h.gpuSeconds(now))));
    Map<String, Long> podsPerTier =
        truth.stream()
            .collect(Collectors.groupingBy(GpuHoldings.Holding::tier, Collectors.counting()));
    assertThat(podsPerTier).containsOnlyKeys("spot", "on-demand");
    assertThat(podsPerTier.get("spot")).isGreaterThanOrEqualTo(2);

    try (Connection c = DriverManager.getConnection(world.ledgerJdbcUrl(), "postgres", "")) {
      await()
          .atMost(BOUND)
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                Map<String, Double> ledger = ledgerGpuSeconds(c);
                assertThat(ledger).containsOnlyKeys("spot", "on-demand");
                for (String tier : truthPerTier.keySet()) {
                  double want = truthPerTier.get(tier);
                  double slack =
                      Math.max(0.01 * want, podsPerTier.get(tier) * RECONCILE.toMillis() / 1000d);
                  assertThat(ledger.get(tier))
                      .as("GPU-seconds on %s", tier)
                      .isCloseTo(want, org.assertj.core.data.Offset.offset(slack));
                }
              });

      world.operator().ledger().rollUp();
      Map<String, BigDecimal[]> daily = new HashMap<>();
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT tier, sum(gpu_hours), sum(cost) FROM daily_gpu_cost"
                      + " WHERE namespace = 'team-a' GROUP BY tier")) {
        while (rs.next()) {
          daily.put(rs.getString(1), new BigDecimal[] {rs.getBigDecimal(2), rs.getBigDecimal(3)});
        }
      }
      Map<String, Double> ledger = ledgerGpuSeconds(c);
      assertThat(daily).containsOnlyKeys("spot", "on-demand");
      for (Map.Entry<String, BigDecimal[]> e : daily.entrySet()) {
        BigDecimal hours = e.getValue()[0];
        BigDecimal cost = e.getValue()[1];
        assertThat(hours.doubleValue() * 3600)
            .as("the day's GPU-hours on %s are its intervals'", e.getKey())
            .isCloseTo(ledger.get(e.getKey()), org.assertj.core.data.Offset.offset(0.01));
        assertThat(cost)
            .as("cost on %s = GPU-hours × price", e.getKey())
            .isCloseTo(
                hours.multiply(PRICE.get(e.getKey())).setScale(6, RoundingMode.HALF_UP),
                org.assertj.core.data.Offset.offset(new BigDecimal("0.000002")));
      }
    }
  }
}
