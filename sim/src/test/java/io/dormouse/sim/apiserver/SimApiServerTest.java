package io.dormouse.sim.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimApiServerTest {

  static final String ENDPOINT =
      """
      apiVersion: dormouse.io/v1alpha1
      kind: InferenceEndpoint
      metadata:
        name: llama
        namespace: team-a
      spec:
        model:
          name: meta-llama/Meta-Llama-3-8B-Instruct
        replicas: %d
        tiers: [spot]
        access:
          public: true
      """;

  private SimApiServer api;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    api = SimApiServer.start(CrdValidatorAdmission.forDormouse(), List.of("team-a"));
    client = api.newClient();
  }

  @AfterEach
  void stop() {
    client.close();
    api.close();
  }

  private String get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(api.url() + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void servesDiscoveryForBuiltInGroupsAndTheDormouseCrds() throws Exception {
    assertThat(get("/api")).contains("APIVersions").contains("\"v1\"");
    assertThat(get("/apis"))
        .contains("\"apps/v1\"")
        .contains("\"discovery.k8s.io/v1\"")
        .contains("\"coordination.k8s.io/v1\"")
        .contains("\"dormouse.io/v1alpha1\"");
    assertThat(get("/api/v1")).contains("\"pods\"").contains("\"pods/status\"");
    assertThat(get("/apis/apps/v1")).contains("\"deployments/scale\"");
    String dormouse = get("/apis/dormouse.io/v1alpha1");
    assertThat(dormouse)
        .contains("\"inferenceendpoints\"")
        .contains("\"ie\"")
        .contains("\"gputiers\"")
        .contains("\"InferenceEndpoint\"");
  }

  @Test
  void storesAValidEndpointWithDefaultsApplied() {
    client
        .resource(Serialization.unmarshal(ENDPOINT.formatted(2), GenericKubernetesResource.class))
        .create();

    InferenceEndpoint stored =
        client.resources(InferenceEndpoint.class).inNamespace("team-a").withName("llama").get();

    assertThat(stored.getSpec().getReplicas()).isEqualTo(2);
    assertThat(stored.getSpec().getScaling().getIdleTimeout()).isEqualTo("15m");
    assertThat(stored.getMetadata().getUid()).isNotBlank();
  }

  @Test
  void refusesAnInvalidEndpointOnCreateWith422NamingTheField() {
    GenericKubernetesResource bad =
        Serialization.unmarshal(ENDPOINT.formatted(0), GenericKubernetesResource.class);

    assertThatThrownBy(() -> client.resource(bad).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getMessage())
                  .startsWith(
                      "InferenceEndpoint.dormouse.io \"llama\" is invalid: spec.replicas: Invalid value: 0");
              assertThat(e.getStatus().getDetails().getCauses().get(0).getField())
                  .isEqualTo("spec.replicas");
            });
    assertThat(client.resources(InferenceEndpoint.class).inNamespace("team-a").list().getItems())
        .isEmpty();
  }

  @Test
  void refusesAnInvalidUpdateByPutAndByPatchAndKeepsTheStoredObject() {
    client
        .resource(Serialization.unmarshal(ENDPOINT.formatted(1), GenericKubernetesResource.class))
        .create();
    var endpoints =
        client.resources(InferenceEndpoint.class).inNamespace("team-a").withName("llama");

    InferenceEndpoint edited = endpoints.get();
    edited.getSpec().setReplicas(0);
    assertThatThrownBy(() -> client.resource(edited).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    assertThatThrownBy(
            () ->
                endpoints.patch(
                    PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":-3}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> assertThat(e.getStatus().getMessage()).contains("spec.replicas"));
    assertThatThrownBy(
            () ->
                endpoints.patch(
                    PatchContext.of(PatchType.JSON),
                    "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":0}]"))
        .isInstanceOf(KubernetesClientException.class);

    endpoints.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":3}}");
    assertThat(endpoints.get().getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void strategicMergePatchOfABuiltInKindIsApplied() {
    client
        .apps()
        .deployments()
        .inNamespace("team-a")
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .endSpec()
                .build())
        .create();

    client
        .apps()
        .deployments()
        .inNamespace("team-a")
        .withName("web")
        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"spec\":{\"replicas\":4}}");

    Deployment web = client.apps().deployments().inNamespace("team-a").withName("web").get();
    assertThat(web.getSpec().getReplicas()).isEqualTo(4);
  }

  @Test
  void writesAKubeconfigThatAClientCanUse(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    java.nio.file.Path file = api.writeKubeconfig(dir.resolve("kubeconfig"), "team-a");

    io.fabric8.kubernetes.client.Config config =
        io.fabric8.kubernetes.client.Config.fromKubeconfig(null, readString(file), file.toString());
    try (KubernetesClient fromFile =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build()) {
      assertThat(fromFile.getNamespace()).isEqualTo("team-a");
      assertThat(fromFile.namespaces().withName("team-a").get()).isNotNull();
    }
  }

  private static String readString(java.nio.file.Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
