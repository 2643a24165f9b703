package io.dormouse.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.operator.OperatorApp;
import io.dormouse.operator.OperatorSettings;
import io.dormouse.operator.testing.MutableClock;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real operator against the Fabric8 mock API server in CRUD mode, with a test clock. */
@EnableKubernetesMockClient(crud = true)
class OperatorMockServerTest {

  private static final Duration BOUND = Duration.ofSeconds(60);

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
    cluster.tier("a", null);
    cluster.tier("b", null);
    operator = startOperator();
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.close();
    }
    client.close();
  }

  private OperatorApp startOperator() {
    return OperatorApp.start(settings());
  }

  private OperatorSettings settings() {
    return OperatorSettings.defaults()
        .withClient(client)
        .withClock(clock)
        .withLeaderElection(false)
        .withManagementPort(0)
        .withOperatorNamespace("dormouse-system")
        .withMaxReconcileInterval(Duration.ofSeconds(1));
  }

  @Test
  void twoEndpointsWakingAtOnceDoNotBothTakeTheLastGpus() {
    cluster.tier("scarce", 1);
    cluster.endpoint("one", "scarce", "b");
    cluster.endpoint("two", "scarce", "b");
    await()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(phase("one")).isEqualTo(Phase.Hibernated);
              assertThat(phase("two")).isEqualTo(Phase.Hibernated);
            });

    clock.advance(Duration.ofSeconds(5));
    cluster.request("one");
    cluster.request("two");

    await("one endpoint on the capped tier, the other on the next")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(cluster.replicas("one", "scarce") + cluster.replicas("two", "scarce"))
                  .isEqualTo(1);
              assertThat(cluster.replicas("one", "b") + cluster.replicas("two", "b")).isEqualTo(1);
            });
    await("the tier's status counts its GPUs and names the endpoint")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              GpuTier scarce = client.resources(GpuTier.class).withName("scarce").get();
              assertThat(scarce.getStatus()).isNotNull();
              assertThat(scarce.getStatus().getGpusInUse()).isEqualTo(1);
              assertThat(scarce.getStatus().getEndpoints())
                  .singleElement()
                  .satisfies(e -> assertThat(e).isIn("team/one", "team/two"));
            });
  }

  @Test
  void aPresetFromTheCatalogAndASpecChangeRollTheDeployment() {
    client
        .configMaps()
        .inNamespace("dormouse-system")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("dormouse-model-presets")
                .withNamespace("dormouse-system")
                .endMetadata()
                .addToData(
                    "presets.yaml",
                    "small:\n  model: Qwen/Qwen2.5-0.5B-Instruct\n  params: [--max-model-len=4096]\n")
                .build())
        .create();
    InferenceEndpoint ep = new InferenceEndpoint();
    ep.setMetadata(new ObjectMetaBuilder().withName("qwen").withNamespace(Cluster.NS).build());
    ep.getSpec().getModel().setPreset("small");
    ep.getSpec().setTiers(java.util.List.of("a"));
    ep.getSpec().getAccess().setPublic(true);
    client.resource(ep).create();

    await("the preset fills the engine's model and params")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              Deployment d = cluster.deployment("qwen", "a");
              assertThat(d).isNotNull();
              assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                  .containsSubsequence("--model", "Qwen/Qwen2.5-0.5B-Instruct")
                  .contains("--max-model-len=4096");
            });

    client
        .resources(InferenceEndpoint.class)
        .inNamespace(Cluster.NS)
        .withName("qwen")
        // A merge patch, as kubectl sends: no resourceVersion to race the operator's status writes.
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"engine\":{\"image\":\"vllm/vllm-openai:v0.12.0\"}}}");
    await("a spec change rolls the Deployment")
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(
                        cluster
                            .deployment("qwen", "a")
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo("vllm/vllm-openai:v0.12.0"));
    assertThat(cluster.replicas("qwen", "a")).as("still asleep").isZero();
  }

  @Test
  void withLeaderElectionAndOneWatchedNamespaceTheLeaderActs() {
    // The SDK checks its Lease permissions first; the CRUD mock cannot answer that review.
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewMetadata()
                .endMetadata()
                .withNewStatus()
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("*")
                .endResourceRule()
                .withIncomplete(false)
                .endStatus()
                .build())
        .always();
    operator.close();
    operator =
        OperatorApp.start(
            settings()
                .withLeaderElection(true)
                .withIdentity("op-1")
                .withWatchNamespaces(java.util.Set.of(Cluster.NS)));
    cluster.endpoint("led", "a");

    await().atMost(BOUND).untilAsserted(() -> assertThat(phase("led")).isEqualTo(Phase.Hibernated));
    assertThat(
            client
                .leases()
                .inNamespace("dormouse-system")
                .withName(OperatorSettings.LEADER_LEASE)
                .get()
                .getSpec()
                .getHolderIdentity())
        .isEqualTo("op-1");
  }

  @Test
  void sleepsWakesFallsBackAndSleepsAgain() throws Exception {
    cluster.endpoint("llama", "a", "b");

    await("created → Hibernated with every object, at zero")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(phase("llama")).isEqualTo(Phase.Hibernated);
              assertThat(cluster.replicas("llama", "a")).isZero();
              assertThat(cluster.replicas("llama", "b")).isZero();
            });
    assertThat(client.services().inNamespace(Cluster.NS).withName("llama-a").get()).isNotNull();
    assertThat(client.services().inNamespace(Cluster.NS).withName("llama-b").get()).isNotNull();
    assertThat(
            client
                .network()
                .networkPolicies()
                .inNamespace(Cluster.NS)
                .withName(Wiring.engineNetworkPolicyName("llama"))
                .get())
        .isNotNull();
    assertThat(
            client
                .leases()
                .inNamespace(Cluster.NS)
                .withName(Wiring.activityLeaseName("llama"))
                .get()
                .getSpec()
                .getRenewTime())
        .as("no renewTime until a gateway writes one")
        .isNull();

    clock.advance(Duration.ofSeconds(5));
    cluster.request("llama");
    // The scale-up is written before the status, so wait for both.
    await("demand wakes the first tier")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(cluster.replicas("llama", "a")).isEqualTo(1);
              assertThat(phase("llama")).isEqualTo(Phase.Waking);
            });

    cluster.unschedulablePod("llama", "a");
    clock.advance(Duration.ofMinutes(6));
    await("the unschedulable first tier gives way to the second")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(cluster.replicas("llama", "b")).isEqualTo(1);
              assertThat(cluster.replicas("llama", "a")).isZero();
              assertThat(cluster.eventReasons("llama")).contains("TierFallback");
            });

    cluster.deletePods();
    cluster.ready("llama", "b", 1);
    await("ready on the second tier")
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(phase("llama")).isEqualTo(Phase.Ready));
    assertThat(cluster.get("llama").getStatus().getActiveTier()).isEqualTo("b");

    clock.advance(Duration.ofMinutes(16));
    await("idle past the timeout → zero replicas")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(cluster.replicas("llama", "b")).isZero();
              assertThat(phase("llama")).isIn(Phase.Hibernating, Phase.Hibernated);
            });
    cluster.ready("llama", "b", 0);
    await("no pods left → Hibernated, in the journal too")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(phase("llama")).isEqualTo(Phase.Hibernated);
              assertThat(cluster.eventReasons("llama")).contains("Hibernated");
            });
    assertThat(cluster.eventReasons("llama"))
        .containsSubsequence("Waking", "TierFallback", "Ready", "Hibernating", "Hibernated");

    assertThat(get("/livez").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    String metrics = scrape();
    assertThat(metrics)
        .contains(
            "dormouse_endpoint_phase{endpoint=\"llama\",namespace=\"team\",phase=\"Hibernated\"} 1")
        .contains("dormouse_tier_fallbacks_total{")
        .contains("dormouse_endpoint_wake_duration_seconds_bucket{")
        .contains("dormouse_tier_gpu_seconds_total{");
  }

  @Test
  void aReplicaStuckInContainerCreatingFailsItsTierOverWithTheReasonAndTheWakeIsMeasured()
      throws Exception {
    cluster.endpoint("stuck", "a", "b");
    await()
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(phase("stuck")).isEqualTo(Phase.Hibernated));
    clock.advance(Duration.ofSeconds(5));
    cluster.request("stuck");
    await().atMost(BOUND).untilAsserted(() -> assertThat(phase("stuck")).isEqualTo(Phase.Waking));

    cluster.waitingPod(
        "stuck", "a", "ContainerCreating", "Multi-Attach error for volume \"weights\"");
    clock.advance(Duration.ofMinutes(6));
    await("the stuck tier gives way to the next, with what it waited on")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(cluster.replicas("stuck", "b")).isEqualTo(1);
              assertThat(cluster.get("stuck").getStatus().getTiers())
                  .anySatisfy(
                      t -> {
                        assertThat(t.getName()).isEqualTo("a");
                        assertThat(t.getReason()).isEqualTo("ContainerCreating");
                        assertThat(t.getMessage()).contains("Multi-Attach");
                      });
            });

    cluster.deletePods();
    clock.advance(Duration.ofSeconds(30));
    cluster.ready("stuck", "b", 1);
    await("ready on the second tier, the wake recorded phase by phase")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(phase("stuck")).isEqualTo(Phase.Ready);
              var wake = cluster.get("stuck").getStatus().getLastWake();
              assertThat(wake).isNotNull();
              assertThat(wake.getTier()).isEqualTo("b");
              assertThat(wake.getTotal()).isEqualTo("6m30s");
              assertThat(wake.getTierFallback()).isEqualTo("6m");
            });
    assertThat(scrape()).contains("dormouse_wake_phase_seconds_bucket{phase=\"tier_fallback\"");
  }

  @Test
  void theStatusRecordsTheGenerationItActedOnAndASpecEditLiftsTheBackOffs() {
    cluster.endpoint("edited", "a");
    await("the first status names generation 1")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              InferenceEndpoint ep = cluster.get("edited");
              assertThat(ep.getStatus()).isNotNull();
              assertThat(ep.getStatus().getPhase()).isEqualTo(Phase.Hibernated);
              assertThat(ep.getMetadata().getGeneration()).isEqualTo(1L);
              assertThat(ep.getStatus().getObservedGeneration()).isEqualTo(1L);
              assertThat(ep.getStatus().getConditions())
                  .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(1L));
            });

    clock.advance(Duration.ofSeconds(5));
    cluster.request("edited");
    await("demand wakes tier a")
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(phase("edited")).isEqualTo(Phase.Waking));
    cluster.unschedulablePod("edited", "a");
    clock.advance(Duration.ofMinutes(6));
    await("its only tier cannot start: Failed, the tier backed off")
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(phase("edited")).isEqualTo(Phase.Failed));
    clock.advance(Duration.ofMinutes(1));
    cluster.request("edited");
    clock.advance(Duration.ofSeconds(5));
    await("new demand while backed off: still Failed")
        .during(Duration.ofSeconds(2))
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(phase("edited")).isEqualTo(Phase.Failed));

    client
        .resources(InferenceEndpoint.class)
        .inNamespace(Cluster.NS)
        .withName("edited")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"engine\":{\"image\":\"vllm/vllm-openai:v0.12.0\"}}}");
    await("the edit is generation 2; the status says it acted on it, and wakes at once")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              InferenceEndpoint ep = cluster.get("edited");
              assertThat(ep.getMetadata().getGeneration()).isEqualTo(2L);
              assertThat(ep.getStatus().getObservedGeneration()).isEqualTo(2L);
              assertThat(ep.getStatus().getPhase()).isEqualTo(Phase.Waking);
              assertThat(cluster.replicas("edited", "a")).isEqualTo(1);
            });
  }

  @Test
  void aMissingGpuTierIsNamedInACondition() {
    cluster.endpoint("orphan", "a", "nowhere");

    await("the condition names the missing tier")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              Condition resolved = condition("orphan", "TiersResolved");
              assertThat(resolved.getStatus()).isEqualTo("False");
              assertThat(resolved.getReason()).isEqualTo("TierNotFound");
              assertThat(resolved.getMessage()).contains("nowhere");
            });
    assertThat(phase("orphan")).isEqualTo(Phase.Hibernated);
    assertThat(cluster.replicas("orphan", "a")).isZero();
    assertThat(cluster.deployment("orphan", "nowhere")).isNull();
  }

  @Test
  void aPresetMissingFromTheCatalogIsNamedInAConditionAndAnEvent() {
    InferenceEndpoint ep = new InferenceEndpoint();
    ep.setMetadata(new ObjectMetaBuilder().withName("typo").withNamespace(Cluster.NS).build());
    ep.getSpec().getModel().setName("meta-llama/Meta-Llama-3-8B-Instruct");
    ep.getSpec().getModel().setPreset("llama-3-8b-typo");
    ep.getSpec().setTiers(java.util.List.of("a"));
    ep.getSpec().getAccess().setPublic(true);
    client.resource(ep).create();

    await("the condition and the journal name the missing preset")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              Condition resolved = condition("typo", "PresetResolved");
              assertThat(resolved.getStatus()).isEqualTo("False");
              assertThat(resolved.getReason()).isEqualTo("PresetNotFound");
              assertThat(resolved.getMessage()).contains("llama-3-8b-typo");
              assertThat(cluster.eventReasons("typo")).contains("PresetNotFound");
            });
    assertThat(phase("typo"))
        .as("model.name is served without the preset")
        .isEqualTo(Phase.Hibernated);
    assertThat(cluster.deployment("typo", "a")).isNotNull();
  }

  @Test
  void aRestartedOperatorResumesAWakeWithoutDuplicatesOrFlapping() {
    cluster.endpoint("resume", "a", "b");
    await()
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(phase("resume")).isEqualTo(Phase.Hibernated));
    clock.advance(Duration.ofSeconds(5));
    cluster.request("resume");
    await("the wake is decided and recorded")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(cluster.replicas("resume", "a")).isEqualTo(1);
              assertThat(phase("resume")).isEqualTo(Phase.Waking);
              assertThat(cluster.eventReasons("resume")).contains("Waking");
            });

    operator.close();
    clock.advance(Duration.ofMinutes(1));
    operator = startOperator();

    cluster.ready("resume", "a", 1);
    await("the new operator finishes the wake")
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(phase("resume")).isEqualTo(Phase.Ready));
    assertThat(cluster.replicas("resume", "a")).isEqualTo(1);
    assertThat(cluster.replicas("resume", "b")).isZero();
    assertThat(
            client.apps().deployments().inNamespace(Cluster.NS).list().getItems().stream()
                .filter(d -> d.getMetadata().getName().startsWith("resume-")))
        .hasSize(2);
    assertThat(cluster.eventReasons("resume").stream().filter("Waking"::equals)).hasSize(1);
    assertThat(cluster.eventReasons("resume").stream().filter("Ready"::equals)).hasSize(1);
    assertThat(cluster.get("resume").getStatus().getHistory())
        .extracting(t -> t.getTo())
        .containsExactly(Phase.Hibernated, Phase.Waking, Phase.Ready);
  }

  @Test
  void aWakeScalesTheDeploymentWithOneWriteAndNoRead() throws Exception {
    cluster.endpoint("one-write", "a");
    await()
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(phase("one-write")).isEqualTo(Phase.Hibernated));
    recordedRequests();

    clock.advance(Duration.ofSeconds(5));
    cluster.request("one-write");
    await()
        .atMost(BOUND)
        .untilAsserted(() -> assertThat(phase("one-write")).isEqualTo(Phase.Waking));

    String path =
        "/apis/apps/v1/namespaces/team/deployments/" + Wiring.engineName("one-write", "a");
    assertThat(recordedRequests())
        .filteredOn(r -> r.startsWith("GET " + path) || r.startsWith("PATCH " + path))
        .containsExactly("PATCH " + path);
    assertThat(cluster.replicas("one-write", "a")).isEqualTo(1);
  }

  @Test
  void leasesWithoutTheEndpointLabelDoNotWakeAHibernatedEndpoint() throws Exception {
    cluster.endpoint("quiet", "a");
    await()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(phase("quiet")).isEqualTo(Phase.Hibernated);
              assertThat(cluster.replicas("quiet", "a")).isZero();
            });
    // A kubelet's heartbeat, and some other component's Lease in the endpoint's namespace.
    cluster.foreignLease("kube-node-lease", "node-1", Map.of(), "node-1", true);
    cluster.foreignLease(Cluster.NS, "quiet-leader", Map.of(), "quiet-0", true);

    clock.advance(Duration.ofSeconds(5));
    cluster.renew("kube-node-lease", "node-1");
    cluster.renew(Cluster.NS, "quiet-leader");
    awaitTwoMoreEndpointReconciles();
    assertThat(phase("quiet")).isEqualTo(Phase.Hibernated);
    assertThat(cluster.replicas("quiet", "a")).isZero();
    assertThat(cluster.eventReasons("quiet")).doesNotContain("Waking");

    clock.advance(Duration.ofSeconds(5));
    cluster.request("quiet");
    await("the endpoint's own, labelled Lease does wake it")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(phase("quiet")).isEqualTo(Phase.Waking);
              assertThat(cluster.replicas("quiet", "a")).isEqualTo(1);
            });
    assertThat(recordedRequests())
        .as("the operator lists and watches only the Leases that carry the endpoint label")
        .filteredOn(r -> r.startsWith("GET /apis/coordination.k8s.io/v1/leases?"))
        .isNotEmpty()
        .allMatch(r -> r.contains("labelSelector=dormouse.io%2Fendpoint"));
  }

  @Test
  void anUnlabelledActivityLeaseIsNotSeenUntilItCarriesTheEndpointLabel() throws Exception {
    // The activity Lease's name, but no labels and no owner, as an older gateway may leave it.
    String leaseName = Wiring.activityLeaseName("older");
    cluster.foreignLease(Cluster.NS, leaseName, Map.of(), "gateway-old", false);
    InferenceEndpoint ep = cluster.endpoint("older", "a");
    await()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(phase("older")).isEqualTo(Phase.Hibernated);
              assertThat(cluster.replicas("older", "a")).isZero();
            });

    clock.advance(Duration.ofSeconds(5));
    cluster.renew(Cluster.NS, leaseName);
    awaitTwoMoreEndpointReconciles();
    assertThat(phase("older")).isEqualTo(Phase.Hibernated);
    assertThat(cluster.replicas("older", "a")).isZero();
    assertThat(cluster.eventReasons("older")).doesNotContain("Waking");
    assertThat(cluster.lease(Cluster.NS, leaseName).getMetadata().getOwnerReferences())
        .as("never seen, so never adopted")
        .isEmpty();

    cluster.label(Cluster.NS, leaseName, Wiring.LABEL_ENDPOINT, "older");
    await("once labelled, the same Lease and renewal wake it and it is adopted")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(phase("older")).isEqualTo(Phase.Waking);
              assertThat(cluster.replicas("older", "a")).isEqualTo(1);
              assertThat(cluster.lease(Cluster.NS, leaseName).getMetadata().getOwnerReferences())
                  .singleElement()
                  .satisfies(r -> assertThat(r.getUid()).isEqualTo(ep.getMetadata().getUid()));
            });
  }

  @Test
  void aLeaseAGatewayMadeBeforeTheEndpointIsAdoptedWithItsRenewTimeAndWakesIt() throws Exception {
    String leaseName = Wiring.activityLeaseName("early");
    Lease made = cluster.gatewayLease("early");
    ZonedDateTime renewed = made.getSpec().getRenewTime();
    assertThat(renewed).isNotNull();

    clock.advance(Duration.ofSeconds(1));
    InferenceEndpoint ep = cluster.endpoint("early", "a");
    await("the Lease gets the endpoint as its owner, and the endpoint wakes")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(cluster.lease(Cluster.NS, leaseName).getMetadata().getOwnerReferences())
                  .singleElement()
                  .satisfies(
                      r -> {
                        assertThat(r.getUid()).isEqualTo(ep.getMetadata().getUid());
                        assertThat(r.getKind()).isEqualTo("InferenceEndpoint");
                        assertThat(r.getName()).isEqualTo("early");
                        assertThat(r.getController()).isTrue();
                      });
              assertThat(phase("early")).isEqualTo(Phase.Waking);
              assertThat(cluster.replicas("early", "a")).isEqualTo(1);
            });
    assertThat(cluster.eventReasons("early")).contains("Waking");

    awaitTwoMoreEndpointReconciles();
    Lease lease = cluster.lease(Cluster.NS, leaseName);
    assertThat(lease.getMetadata().getOwnerReferences()).as("adopted once").hasSize(1);
    assertThat(lease.getSpec().getRenewTime().toInstant()).isEqualTo(renewed.toInstant());
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("gateway-0");
    assertThat(lease.getMetadata().getLabels())
        .containsEntry(Wiring.LABEL_ENDPOINT, "early")
        .containsEntry(Wiring.MANAGED_BY, Wiring.MANAGED_BY_VALUE);
  }

  @Test
  void aLeaseThatChangesUnderItsAdoptionIsAdoptedByTheNextReconcileWithoutAnError()
      throws Exception {
    String leaseName = Wiring.activityLeaseName("raced");
    cluster.gatewayLease("raced");
    // The gateway renews the Lease between the informer's copy and the adoption: the API server
    // refuses the adoption's resourceVersion, once.
    String path = "/apis/coordination.k8s.io/v1/namespaces/team/leases/" + leaseName;
    server
        .expect()
        .patch()
        .withPath(path)
        .andReturn(
            409,
            new StatusBuilder()
                .withStatus("Failure")
                .withReason("Conflict")
                .withCode(409)
                .withMessage(
                    "Operation cannot be fulfilled on leases.coordination.k8s.io \""
                        + leaseName
                        + "\": the object has been modified")
                .build())
        .once();
    recordedRequests();

    InferenceEndpoint ep = cluster.endpoint("raced", "a");
    await("adopted after all, and awake")
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(cluster.lease(Cluster.NS, leaseName).getMetadata().getOwnerReferences())
                  .singleElement()
                  .satisfies(r -> assertThat(r.getUid()).isEqualTo(ep.getMetadata().getUid()));
              assertThat(phase("raced")).isEqualTo(Phase.Waking);
              assertThat(cluster.replicas("raced", "a")).isEqualTo(1);
            });
    assertThat(recordedRequests())
        .as("the refused adoption, then the one that took")
        .filteredOn(r -> r.equals("PATCH " + path))
        .hasSize(2);
    assertThat(endpointReconcileFailures())
        .as("a Lease that moved on is no reconcile error: the next reconcile sees it")
        .isZero();
  }

  /**
   * Waits until the operator has finished two more endpoint reconciles than it had now: the second
   * of them started after this call, so whatever the operator could see before is decided.
   */
  private void awaitTwoMoreEndpointReconciles() throws Exception {
    double before = endpointReconciles();
    await("two more endpoint reconciles")
        .atMost(BOUND)
        .until(() -> endpointReconciles() >= before + 2);
  }

  /** JOSDK's count of InferenceEndpoint reconciles that finished well. */
  private double endpointReconciles() throws Exception {
    return counter("operator_sdk_reconciliations_success_total", "kind=\"InferenceEndpoint\"");
  }

  /** JOSDK's count of InferenceEndpoint reconciles that threw, retried or not. */
  private double endpointReconcileFailures() throws Exception {
    return counter(
        "operator_sdk_controllers_execution_reconcile_failure_total",
        "controller=\"inferenceendpoint\"");
  }

  /** The sum of a counter's series that carry the tag, from the management port. */
  private double counter(String name, String tag) throws Exception {
    return scrape()
        .lines()
        .filter(l -> l.startsWith(name + "{") && l.contains(tag))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** Method and path of the requests the mock server received since the last call. */
  private java.util.List<String> recordedRequests() throws InterruptedException {
    java.util.List<String> seen = new java.util.ArrayList<>();
    io.fabric8.mockwebserver.http.RecordedRequest r;
    while ((r = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
      seen.add(r.getMethod() + " " + r.getPath());
    }
    return seen;
  }

  private Phase phase(String name) {
    InferenceEndpoint ep = cluster.get(name);
    return ep == null || ep.getStatus() == null ? null : ep.getStatus().getPhase();
  }

  private Condition condition(String name, String type) {
    InferenceEndpoint ep = cluster.get(name);
    assertThat(ep.getStatus()).isNotNull();
    return ep.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private String scrape() throws Exception {
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + operator.managementPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
