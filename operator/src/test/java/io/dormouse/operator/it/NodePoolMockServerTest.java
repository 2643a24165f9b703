package io.dormouse.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.CapacityType;
import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.NodeClassReference;
import io.dormouse.api.v1alpha1.NodeTaint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.TierNodePool;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.operator.OperatorApp;
import io.dormouse.operator.OperatorSettings;
import io.dormouse.operator.resources.EngineDeployment;
import io.dormouse.operator.testing.MutableClock;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sh.karpenter.v1.NodePool;

/**
 * The operator and a tier's Karpenter NodePool, against the Fabric8 mock API server in CRUD mode:
 * built for each capacity type and owned by the tier, put back after a hand edit, and a clear
 * condition instead of a crash loop when the cluster has no Karpenter.
 */
@EnableKubernetesMockClient(crud = true)
class NodePoolMockServerTest {

  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  KubernetesMockServer server;
  KubernetesClient client;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private Cluster cluster;
  private OperatorApp operator;

  @BeforeEach
  void setUp() throws Exception {
    client = PatientClient.of(client);
    cluster = new Cluster(client, clock);
    cluster.installCrds();
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.close();
    }
    client.close();
  }

  private void startOperator() {
    operator =
        OperatorApp.start(
            OperatorSettings.defaults()
                .withClient(client)
                .withClock(clock)
                .withLeaderElection(false)
                .withManagementPort(0)
                .withOperatorNamespace("dormouse-system")
                .withMaxReconcileInterval(Duration.ofSeconds(1)));
  }

  private void installKarpenter() throws Exception {
    for (String crd : List.of("karpenter.sh_nodepools.yaml", "karpenter.sh_nodeclaims.yaml")) {
      try (InputStream in = getClass().getResourceAsStream("/karpenter/" + crd)) {
        assertThat(in).as(crd).isNotNull();
        client.apiextensions().v1().customResourceDefinitions().load(in).create();
      }
    }
  }

  private GpuTier karpenterTier(String name, CapacityType capacity) {
    GpuTier tier = new GpuTier();
    tier.setMetadata(new ObjectMeta());
    tier.getMetadata().setName(name);
    tier.getSpec().setCapacityType(capacity);
    tier.getSpec().setGpuProduct("a100");
    tier.getSpec().setMaxGpus(16);
    TierNodePool pool = new TierNodePool();
    NodeClassReference nodeClass = new NodeClassReference();
    nodeClass.setGroup("karpenter.k8s.aws");
    nodeClass.setKind("EC2NodeClass");
    nodeClass.setName("gpu");
    pool.setNodeClassRef(nodeClass);
    pool.setGpuProductLabel("karpenter.k8s.aws/instance-gpu-name");
    NodeTaint gpu = new NodeTaint();
    gpu.setKey("nvidia.com/gpu");
    gpu.setEffect(NodeTaint.Effect.NoSchedule);
    pool.setTaints(List.of(gpu));
    tier.getSpec().setNodePool(pool);
    return client.resource(tier).create();
  }

  private NodePool nodePool(String tier) {
    return client.resources(NodePool.class).withName(Wiring.nodePoolName(tier)).get();
  }

  private GpuTier gpuTier(String name) {
    return client.resources(GpuTier.class).withName(name).get();
  }

  private Condition nodePoolReady(String tier) {
    GpuTier t = gpuTier(tier);
    assertThat(t.getStatus()).as("status of %s", tier).isNotNull();
    return t.getStatus().getConditions().stream()
        .filter(c -> "NodePoolReady".equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no NodePoolReady condition on " + tier));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"SPOT, spot", "ON_DEMAND, on-demand", "RESERVED, reserved"})
  void eachCapacityTypeGetsANodePoolOwnedByItsTier(CapacityType capacity, String karpenterValue)
      throws Exception {
    installKarpenter();
    startOperator();
    GpuTier tier = karpenterTier("a100", capacity);

    await("the tier's NodePool is made, owned by the tier")
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(nodePool("a100")).isNotNull());
    NodePool pool = nodePool("a100");
    assertThat(pool.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("GpuTier");
              assertThat(o.getName()).isEqualTo("a100");
              assertThat(o.getUid()).isEqualTo(tier.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
    assertThat(pool.getMetadata().getLabels()).containsEntry(Wiring.LABEL_TIER, "a100");
    var template = pool.getSpec().getTemplate();
    assertThat(template.getMetadata().getLabels()).containsEntry(Wiring.LABEL_TIER, "a100");
    assertThat(template.getSpec().getNodeClassRef().getKind()).isEqualTo("EC2NodeClass");
    assertThat(template.getSpec().getRequirements())
        .extracting(r -> r.getKey() + " " + r.getOperator().getValue() + " " + r.getValues())
        .containsExactly(
            "karpenter.sh/capacity-type In [" + karpenterValue + "]",
            "karpenter.k8s.aws/instance-gpu-name In [a100]");
    assertThat(template.getSpec().getTaints())
        .singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
    assertThat(pool.getSpec().getLimits().get("nvidia.com/gpu").getIntVal()).isEqualTo(16);
    assertThat(pool.getSpec().getDisruption().getConsolidationPolicy().getValue())
        .isEqualTo("WhenEmpty");
    assertThat(pool.getSpec().getDisruption().getConsolidateAfter()).isEqualTo("5m");

    await("the tier waits for Karpenter's word on its NodePool")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(gpuTier("a100").getStatus()).isNotNull();
              assertThat(gpuTier("a100").getStatus().getNodePool()).isEqualTo("dormouse-a100");
              assertThat(nodePoolReady("a100").getStatus()).isEqualTo("Unknown");
              assertThat(nodePoolReady("a100").getReason()).isEqualTo("AwaitingKarpenter");
            });

    // Karpenter's report, and two nodes it launched for the tier.
    client
        .resources(NodePool.class)
        .withName("dormouse-a100")
        .subresource("status")
        .patch(
            MERGE,
            "{\"status\":{\"nodes\":2,\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\","
                + "\"reason\":\"Ready\",\"message\":\"\","
                + "\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}}");
    for (String node : List.of("ip-10-0-0-1", "ip-10-0-0-2")) {
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(node)
                  .addToLabels(Wiring.LABEL_TIER, "a100")
                  .addToLabels("karpenter.sh/nodepool", "dormouse-a100")
                  .endMetadata()
                  .withNewStatus()
                  .addToCapacity("nvidia.com/gpu", new Quantity("8"))
                  .endStatus()
                  .build())
          .create();
    }
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName("cpu-node").endMetadata().build())
        .create();

    await("the tier's status shows its ready NodePool, its nodes and their GPUs")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(nodePoolReady("a100").getStatus()).isEqualTo("True");
              assertThat(gpuTier("a100").getStatus().getNodes()).isEqualTo(2);
              assertThat(gpuTier("a100").getStatus().getGpusProvisioned()).isEqualTo(16);
            });
  }

  @Test
  void engineDeploymentsOfAKarpenterTierSelectItsNodesByTheTierLabel() throws Exception {
    installKarpenter();
    startOperator();
    karpenterTier("a100", CapacityType.SPOT);
    cluster.endpoint("llama", "a100");

    await()
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(cluster.deployment("llama", "a100")).isNotNull());
    PodSpec pods = cluster.deployment("llama", "a100").getSpec().getTemplate().getSpec();
    assertThat(pods.getNodeSelector()).containsExactly(Map.entry(Wiring.LABEL_TIER, "a100"));
    assertThat(pods.getTolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
    assertThat(
            cluster
                .deployment("llama", "a100")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations())
        .containsEntry(EngineDeployment.ANNOTATION_DO_NOT_DISRUPT, "true");

    // Back to a pre-made pool: the NodePool goes, the engines select the pre-made nodes.
    client
        .resources(GpuTier.class)
        .withName("a100")
        .patch(MERGE, "{\"spec\":{\"nodePool\":null,\"nodeSelector\":{\"pool\":\"a100\"}}}");
    await("the NodePool is deleted and the engines follow the tier's node selector")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(nodePool("a100")).isNull();
              assertThat(
                      cluster
                          .deployment("llama", "a100")
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getNodeSelector())
                  .containsExactly(Map.entry("pool", "a100"));
            });
    assertThat(gpuTier("a100").getStatus().getConditions()).isEmpty();
    assertThat(tierEventReasons("a100")).contains("NodePoolCreated", "NodePoolDeleted");
  }

  @Test
  void aHandEditedNodePoolIsPutBackAndThePlatformTeamsFieldsStay() throws Exception {
    installKarpenter();
    startOperator();
    karpenterTier("a100", CapacityType.SPOT);
    await().atMost(BOUND).untilAsserted(() -> assertThat(nodePool("a100")).isNotNull());

    client
        .resources(NodePool.class)
        .withName("dormouse-a100")
        .patch(
            MERGE,
            "{\"metadata\":{\"annotations\":{\"karpenter.sh/nodepool-hash\":\"42\"}},"
                + "\"spec\":{\"weight\":50,\"limits\":{\"nvidia.com/gpu\":64},"
                + "\"disruption\":{\"consolidationPolicy\":\"WhenEmptyOrUnderutilized\"},"
                + "\"template\":{\"spec\":{\"expireAfter\":\"Never\",\"requirements\":"
                + "[{\"key\":\"karpenter.sh/capacity-type\",\"operator\":\"In\","
                + "\"values\":[\"on-demand\"]}]}}}}");

    await("the operator's fields are put back")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              NodePool pool = nodePool("a100");
              assertThat(pool.getSpec().getLimits().get("nvidia.com/gpu").getIntVal())
                  .isEqualTo(16);
              assertThat(pool.getSpec().getDisruption().getConsolidationPolicy().getValue())
                  .isEqualTo("WhenEmpty");
              assertThat(pool.getSpec().getTemplate().getSpec().getRequirements())
                  .extracting(r -> r.getKey() + " " + r.getValues())
                  .containsExactly(
                      "karpenter.sh/capacity-type [spot]",
                      "karpenter.k8s.aws/instance-gpu-name [a100]");
            });
    NodePool pool = nodePool("a100");
    assertThat(pool.getSpec().getWeight()).as("the platform team's").isEqualTo(50);
    assertThat(pool.getSpec().getTemplate().getSpec().getExpireAfter()).isEqualTo("Never");
    assertThat(pool.getMetadata().getAnnotations())
        .containsEntry("karpenter.sh/nodepool-hash", "42");
    assertThat(tierEvents("a100"))
        .filteredOn(e -> "NodePoolRestored".equals(e.getReason()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage())
                  .contains("/spec/limits", "/spec/template/spec/requirements")
                  .doesNotContain("weight");
            });

    // A change of the tier's own spec is followed, and is no hand edit.
    client.resources(GpuTier.class).withName("a100").patch(MERGE, "{\"spec\":{\"maxGpus\":8}}");
    await("the NodePool follows the tier's new cap")
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(nodePool("a100").getSpec().getLimits().get("nvidia.com/gpu").getIntVal())
                    .isEqualTo(8));
    assertThat(tierEventReasons("a100")).contains("NodePoolUpdated");
    assertThat(tierEventReasons("a100").stream().filter("NodePoolRestored"::equals)).hasSize(1);
  }

  @Test
  void aNodePoolTheApiServerRefusesIsNamedInTheTiersCondition() throws Exception {
    installKarpenter();
    // Karpenter's CRD carries CEL rules of its own; the CRUD mock evaluates none, so say it here.
    server
        .expect()
        .post()
        .withPath("/apis/karpenter.sh/v1/nodepools")
        .andReturn(
            422,
            new io.fabric8.kubernetes.api.model.StatusBuilder()
                .withStatus("Failure")
                .withReason("Invalid")
                .withCode(422)
                .withMessage(
                    "NodePool.karpenter.sh \"dormouse-a100\" is invalid:"
                        + " spec.template.spec.requirements: Invalid value: \"array\":"
                        + " requirements with 'minValues' must have at least that many values")
                .build())
        .always();
    startOperator();
    karpenterTier("a100", CapacityType.SPOT);

    await("the refusal is on the tier, in the API server's words")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(nodePoolReady("a100").getStatus()).isEqualTo("False");
              assertThat(nodePoolReady("a100").getReason()).isEqualTo("NodePoolRefused");
              assertThat(nodePoolReady("a100").getMessage())
                  .contains("requirements with 'minValues' must have at least that many values");
            });
    assertThat(tierEventReasons("a100")).containsOnlyOnce("NodePoolRefused");
    assertThat(operatorReconcileFailures()).isZero();
  }

  @Test
  void aNodePoolOfTheSameNameThatIsNotTheTiersIsLeftAlone() throws Exception {
    installKarpenter();
    NodePool theirs = new NodePool();
    theirs.setMetadata(new ObjectMeta());
    theirs.getMetadata().setName(Wiring.nodePoolName("a100"));
    theirs.setSpec(new sh.karpenter.v1.NodePoolSpec());
    theirs.getSpec().setWeight(10);
    client.resource(theirs).create();
    startOperator();
    karpenterTier("a100", CapacityType.SPOT);

    await("the tier says the name is taken")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(nodePoolReady("a100").getStatus()).isEqualTo("False");
              assertThat(nodePoolReady("a100").getReason()).isEqualTo("NodePoolNotOwned");
            });
    NodePool pool = nodePool("a100");
    assertThat(pool.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(pool.getSpec().getWeight()).isEqualTo(10);
    assertThat(pool.getSpec().getTemplate()).isNull();
  }

  @Test
  void withoutKarpenterTheTierSaysSoOnceAndTheRestOfTheOperatorWorks() throws Exception {
    startOperator();
    karpenterTier("a100", CapacityType.SPOT);
    cluster.tier("premade", null);
    cluster.endpoint("llama", "a100", "premade");

    await("a clear condition on the tier, and the endpoint is reconciled as usual")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(nodePoolReady("a100").getStatus()).isEqualTo("False");
              assertThat(nodePoolReady("a100").getReason()).isEqualTo("KarpenterNotInstalled");
              assertThat(nodePoolReady("a100").getMessage()).contains("install Karpenter");
              assertThat(cluster.get("llama").getStatus()).isNotNull();
              assertThat(cluster.get("llama").getStatus().getPhase()).isEqualTo(Phase.Hibernated);
              assertThat(cluster.deployment("llama", "premade")).isNotNull();
            });
    recordedRequests();
    awaitTierReconciles(3);

    List<String> requests = recordedRequests();
    assertThat(requests)
        .as("no NodePool is read or written without the API")
        .noneMatch(r -> r.contains("/apis/karpenter.sh/v1/nodepools"));
    assertThat(requests)
        .as("discovery is asked again only when the clock allows (the test clock stands still)")
        .noneMatch(r -> r.startsWith("GET /apis/karpenter.sh/v1"));
    assertThat(tierEventReasons("a100").stream().filter("KarpenterNotInstalled"::equals))
        .as("one Event, not one per reconcile")
        .hasSize(1);
    assertThat(operatorReconcileFailures()).isZero();

    // Karpenter installed later: the next look finds it, and the NodePool follows.
    installKarpenter();
    clock.advance(Duration.ofSeconds(2));
    await("the NodePool is made once the API is served")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(nodePool("a100")).isNotNull();
              assertThat(nodePoolReady("a100").getReason()).isEqualTo("AwaitingKarpenter");
            });
  }

  @Test
  void aFailingDiscoveryIsAskedAgainOnlyOncePerIntervalAndReadsAsNoKarpenter() throws Exception {
    server
        .expect()
        .get()
        .withPath("/apis/karpenter.sh/v1")
        .andReturn(500, "{\"kind\":\"Status\",\"code\":500}")
        .always();
    startOperator();
    karpenterTier("a100", CapacityType.SPOT);

    await()
        .atMost(BOUND)
        .untilAsserted(
            () -> assertThat(nodePoolReady("a100").getReason()).isEqualTo("KarpenterNotInstalled"));
    recordedRequests();
    awaitTierReconciles(3);

    assertThat(recordedRequests())
        .as("the test clock stands still, so discovery is not asked again")
        .noneMatch(r -> r.startsWith("GET /apis/karpenter.sh/v1"));
    assertThat(operatorReconcileFailures()).isZero();
  }

  @Test
  void karpenterUninstalledMakesTheTierSayItAgainAndTheOperatorStaysHealthy() throws Exception {
    installKarpenter();
    startOperator();
    karpenterTier("a100", CapacityType.SPOT);
    await().atMost(BOUND).untilAsserted(() -> assertThat(nodePool("a100")).isNotNull());

    for (String crd : List.of("nodepools.karpenter.sh", "nodeclaims.karpenter.sh")) {
      client.apiextensions().v1().customResourceDefinitions().withName(crd).delete();
    }
    assertThat(
            client.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
                .map(CustomResourceDefinition::getMetadata)
                .map(ObjectMeta::getName))
        .doesNotContain("nodepools.karpenter.sh");
    clock.advance(Duration.ofSeconds(2));

    await("the tier says Karpenter is gone, and the operator is still ready")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(nodePoolReady("a100").getReason()).isEqualTo("KarpenterNotInstalled");
              assertThat(readyz()).isEqualTo(200);
            });
  }

  private List<Event> tierEvents(String tier) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "GpuTier".equals(e.getInvolvedObject().getKind()))
        .filter(e -> tier.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private List<String> tierEventReasons(String tier) {
    return tierEvents(tier).stream().map(Event::getReason).toList();
  }

  /** Waits until the operator has finished this many more GpuTier reconciles than now. */
  private void awaitTierReconciles(int more) throws Exception {
    double before = counter("operator_sdk_reconciliations_success_total", "kind=\"GpuTier\"");
    await(more + " more tier reconciles")
        .atMost(BOUND)
        .until(
            () ->
                counter("operator_sdk_reconciliations_success_total", "kind=\"GpuTier\"")
                    >= before + more);
  }

  private double operatorReconcileFailures() throws Exception {
    return counter("operator_sdk_controllers_execution_reconcile_failure_total", "");
  }

  private double counter(String name, String tag) throws Exception {
    return scrape()
        .lines()
        .filter(l -> l.startsWith(name + "{") && l.contains(tag))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private String scrape() throws Exception {
    var response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private int readyz() throws Exception {
    return get("/readyz").statusCode();
  }

  private java.net.http.HttpResponse<String> get(String path) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + operator.managementPort() + path))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  /** Method and path of the requests the mock server received since the last call. */
  private List<String> recordedRequests() throws InterruptedException {
    List<String> seen = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      seen.add(r.getMethod() + " " + r.getPath());
    }
    return seen;
  }
}
