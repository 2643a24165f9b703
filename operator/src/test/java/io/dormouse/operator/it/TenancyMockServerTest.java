package io.dormouse.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.operator.OperatorApp;
import io.dormouse.operator.OperatorSettings;
import io.dormouse.operator.testing.MutableClock;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's side of tenancy against the mock API server: served-name conflicts, namespaces'
 * declared projects, and a broken endpoint visible as soon as it is applied.
 */
@EnableKubernetesMockClient(crud = true)
class TenancyMockServerTest {

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
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.close();
    }
    client.close();
  }

  private void start(boolean requireDeclaredProjects) {
    operator =
        OperatorApp.start(
            OperatorSettings.defaults()
                .withClient(client)
                .withClock(clock)
                .withLeaderElection(false)
                .withManagementPort(0)
                .withOperatorNamespace("dormouse-system")
                // Long: what changes a verdict must reach the endpoints through the watches, not
                // through a periodic look.
                .withMaxReconcileInterval(Duration.ofMinutes(10))
                .withRequireDeclaredProjects(requireDeclaredProjects));
  }

  @Test
  void aLaterClaimantOfAServedNameIsNotReadyWithAWarningAndAMetricUntilTheOwnerGoes()
      throws Exception {
    start(false);
    endpoint("ml-serving", "llama3-8b", null, false, "search");
    await()
        .atMost(BOUND)
        .ignoreExceptions()
        .until(() -> phase("ml-serving", "llama3-8b") == Phase.Hibernated);
    afterTheCreationSecondOf("ml-serving", "llama3-8b");

    // The hijacker: an alphabetically earlier namespace, created later, another team's access.
    endpoint("aaa", "llama3-8b", null, false, "other");

    await("the later claimant says ServedNameConflict")
        .atMost(BOUND)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Condition ready = condition("aaa", "llama3-8b", "Ready");
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("ServedNameConflict");
              assertThat(ready.getMessage())
                  .contains("another namespace")
                  .contains("\"aaa/llama3-8b\"")
                  .doesNotContain("ml-serving");
              assertThat(condition("aaa", "llama3-8b", "ServedNameOwned").getStatus())
                  .isEqualTo("False");
              assertThat(warnings("aaa", "llama3-8b")).contains("ServedNameConflict");
              assertThat(scrape())
                  .contains(
                      "dormouse_endpoint_served_name_conflict{endpoint=\"llama3-8b\",namespace=\"aaa\"} 1.0");
            });
    assertThat(phase("aaa", "llama3-8b"))
        .as("the lifecycle goes on: the qualified name still reaches it")
        .isEqualTo(Phase.Hibernated);
    assertThat(condition("ml-serving", "llama3-8b", "ServedNameOwned").getStatus())
        .isEqualTo("True");
    assertThat(warnings("ml-serving", "llama3-8b")).isEmpty();

    // The hijacker lets search in: still the later claim.
    patchProjects("aaa", "llama3-8b", "other", "search");
    await()
        .atMost(BOUND)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(cluster_get("aaa", "llama3-8b").getStatus().getObservedGeneration())
                    .isEqualTo(2L));
    assertThat(condition("aaa", "llama3-8b", "Ready").getReason()).isEqualTo("ServedNameConflict");
    assertThat(warnings("aaa", "llama3-8b")).as("said once").containsOnlyOnce("ServedNameConflict");

    client
        .resources(InferenceEndpoint.class)
        .inNamespace("ml-serving")
        .withName("llama3-8b")
        .delete();
    await("the owner gone, the next claimant owns the name")
        .atMost(BOUND)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(condition("aaa", "llama3-8b", "ServedNameOwned").getStatus())
                  .isEqualTo("True");
              assertThat(condition("aaa", "llama3-8b", "Ready").getReason())
                  .isEqualTo("Hibernated");
              assertThat(scrape())
                  .contains(
                      "dormouse_endpoint_served_name_conflict{endpoint=\"llama3-8b\",namespace=\"aaa\"} 0.0");
            });
  }

  @Test
  void aLaterClaimInTheSameNamespaceIsToldWhichEndpointOwnsTheName() throws Exception {
    start(false);
    endpoint("team", "first", "llama", true);
    await()
        .atMost(BOUND)
        .ignoreExceptions()
        .until(() -> phase("team", "first") == Phase.Hibernated);
    afterTheCreationSecondOf("team", "first");
    endpoint("team", "second", "llama", true);

    await()
        .atMost(BOUND)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(condition("team", "second", "ServedNameOwned").getMessage())
                    .contains("endpoint \"first\" in this namespace")
                    .contains("gets no traffic"));
  }

  @Test
  void aNamespacesDeclaredProjectsAreAppliedAndFollowed() throws Exception {
    start(false);
    namespace("aaa", "other");
    endpoint("aaa", "chat", null, true, "search", "other");

    await("public and search refused")
        .atMost(BOUND)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Condition allowed = condition("aaa", "chat", "ProjectsAllowed");
              assertThat(allowed.getStatus()).isEqualTo("False");
              assertThat(allowed.getReason()).isEqualTo("ProjectsRefused");
              assertThat(allowed.getMessage())
                  .contains("allows only projects [other]")
                  .contains("refused: public, search");
              assertThat(warnings("aaa", "chat")).contains("ProjectsRefused");
              assertThat(condition("aaa", "chat", "Ready").getReason())
                  .as("other may still call it")
                  .isEqualTo("Hibernated");
            });

    namespace("aaa", "other,search");
    patchPublic("aaa", "chat", false);
    await("the platform team let search in; the owner dropped public")
        .atMost(BOUND)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(condition("aaa", "chat", "ProjectsAllowed").getStatus())
                    .isEqualTo("True"));
  }

  @Test
  void withDeclarationsRequiredAnUndeclaredNamespaceServesNoOne() throws Exception {
    start(true);
    endpoint("quiet", "chat", null, false, "search");

    await()
        .atMost(BOUND)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Condition ready = condition("quiet", "chat", "Ready");
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("ProjectsRefused");
              assertThat(ready.getMessage())
                  .contains("declares no projects")
                  .contains("no key may call this endpoint");
            });

    namespace("quiet", "search");
    await()
        .atMost(BOUND)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(condition("quiet", "chat", "ProjectsAllowed").getStatus())
                    .isEqualTo("True"));
  }

  @Test
  void anEndpointOnAMissingGpuTierIsFailedAsSoonAsAppliedAndRecoversWhenTheTierComes()
      throws Exception {
    start(false);
    InferenceEndpoint ep = new InferenceEndpoint();
    ep.setMetadata(new ObjectMetaBuilder().withName("orphan").withNamespace(Cluster.NS).build());
    ep.getSpec().getModel().setName("org/model");
    ep.getSpec().setTiers(List.of("nowhere"));
    ep.getSpec().getAccess().setPublic(true);
    client.resource(ep).create();

    await("Failed, before any request")
        .atMost(BOUND)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              InferenceEndpoint seen = cluster_get(Cluster.NS, "orphan");
              assertThat(seen.getStatus().getPhase()).isEqualTo(Phase.Failed);
              assertThat(seen.getStatus().getReason()).isEqualTo("TierNotFound");
              assertThat(seen.getStatus().getMessage()).contains("GpuTier \"nowhere\" not found");
              assertThat(seen.getStatus().getHistory())
                  .last()
                  .satisfies(t -> assertThat(t.getReason()).isEqualTo("TierNotFound"));
              assertThat(warnings(Cluster.NS, "orphan")).contains("TierNotFound");
            });
    assertThat(scrape())
        .as("no wake was asked for, so none failed")
        .doesNotContain("dormouse_endpoint_wake_failures_total{endpoint=\"orphan\"");

    cluster.tier("nowhere", null);
    await("the tier exists now: asleep, ready to wake")
        .atMost(BOUND)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              InferenceEndpoint seen = cluster_get(Cluster.NS, "orphan");
              assertThat(seen.getStatus().getPhase()).isEqualTo(Phase.Hibernated);
              assertThat(seen.getStatus().getReason()).isEqualTo("Hibernated");
            });
  }

  private void endpoint(
      String ns, String name, String servedName, boolean isPublic, String... projects) {
    InferenceEndpoint ep = new InferenceEndpoint();
    ep.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    ep.getSpec().getModel().setName("meta-llama/Meta-Llama-3-8B-Instruct");
    ep.getSpec().getModel().setServedName(servedName);
    ep.getSpec().setTiers(List.of("a"));
    ep.getSpec().getAccess().setPublic(isPublic);
    ep.getSpec().getAccess().setProjects(List.of(projects));
    client.resource(ep).create();
  }

  private void patchProjects(String ns, String name, String... projects) {
    mergePatch(
        ns,
        name,
        "{\"metadata\":{\"generation\":2},\"spec\":{\"access\":{\"projects\":[\""
            + String.join("\",\"", projects)
            + "\"]}}}");
  }

  private void patchPublic(String ns, String name, boolean isPublic) {
    mergePatch(ns, name, "{\"spec\":{\"access\":{\"public\":" + isPublic + "}}}");
  }

  /** Merge patches carry no resourceVersion: they never conflict with the operator's writes. */
  private void mergePatch(String ns, String name, String json) {
    client
        .resources(InferenceEndpoint.class)
        .inNamespace(ns)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), json);
  }

  private void namespace(String name, String allowedProjects) {
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withAnnotations(Map.of(Wiring.ANNOTATION_ALLOWED_PROJECTS, allowedProjects))
                .endMetadata()
                .build())
        .createOr(r -> r.update());
  }

  /** Creation times have whole seconds: a claim made after this one's second is the younger. */
  private void afterTheCreationSecondOf(String ns, String name) {
    Instant created = Instant.parse(cluster_get(ns, name).getMetadata().getCreationTimestamp());
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Instant.now().isAfter(created.plusSeconds(1)));
  }

  private InferenceEndpoint cluster_get(String ns, String name) {
    return client.resources(InferenceEndpoint.class).inNamespace(ns).withName(name).get();
  }

  private Phase phase(String ns, String name) {
    InferenceEndpoint ep = cluster_get(ns, name);
    return ep == null || ep.getStatus() == null ? null : ep.getStatus().getPhase();
  }

  private Condition condition(String ns, String name, String type) {
    InferenceEndpoint ep = cluster_get(ns, name);
    assertThat(ep.getStatus()).isNotNull();
    return ep.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private List<String> warnings(String ns, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> "Warning".equals(e.getType()))
        .map(Event::getReason)
        .toList();
  }

  private String scrape() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + operator.managementPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
