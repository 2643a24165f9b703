package io.dormouse.sim.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Admission by the CRDs installed at the time: what it admits follows them, fields they do not
 * declare are pruned (as an API server does for a client that does not ask for strict validation),
 * and what their schema refuses is refused.
 */
class InstalledCrdAdmissionTest {

  private final InstalledCrdAdmission admission = new InstalledCrdAdmission();

  @Test
  void fieldsTheInstalledCrdDoesNotDeclareArePrunedNotRefused() {
    Map<String, Object> ie = endpoint(1);
    ie.put("status", new LinkedHashMap<>(Map.of("phase", "Ready", "fromALaterRelease", 3)));

    CustomResourceAdmission.Decision decision = admission.admit(ie, false, installed(true));

    assertThat(decision.allowed()).as(String.valueOf(decision.message())).isTrue();
    assertThat(decision.object()).extracting("status").isEqualTo(Map.of("phase", "Ready"));
    assertThat(ie)
        .extracting("status")
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsKey("fromALaterRelease");
  }

  @Test
  void whatTheInstalledSchemaRefusesIsRefusedNamingTheField() {
    CustomResourceAdmission.Decision decision = admission.admit(endpoint(0), true, installed(true));

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.causes())
        .extracting(CustomResourceAdmission.Cause::field)
        .contains("spec.replicas");
  }

  @Test
  void whatItAdmitsFollowsTheCrdsInstalledNow() {
    assertThat(admission.admit(endpoint(0), true, List.of()).allowed())
        .as("no CRD of the kind installed: nothing to check")
        .isTrue();
    assertThat(admission.admit(endpoint(0), true, installed(true)).allowed()).isFalse();
    assertThat(admission.admit(endpoint(0), true, installed(false)).allowed()).isTrue();
  }

  @Test
  void prunesAFieldInsideAList() {
    Map<String, Object> object = new LinkedHashMap<>();
    Map<String, Object> item = new LinkedHashMap<>(Map.of("name", "a", "extra", true));
    object.put(
        "spec", new LinkedHashMap<>(Map.of("env", new java.util.ArrayList<>(List.of(item)))));

    InstalledCrdAdmission.prune(object, "spec.env[0].extra");

    assertThat(item).isEqualTo(Map.of("name", "a"));
  }

  private static Map<String, Object> endpoint(int replicas) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("model", new LinkedHashMap<>(Map.of("name", "org/chat")));
    spec.put("tiers", List.of("spot"));
    spec.put("replicas", replicas);
    spec.put("access", new LinkedHashMap<>(Map.of("projects", List.of("search"))));
    Map<String, Object> ie = new LinkedHashMap<>();
    ie.put("apiVersion", "dormouse.io/v1alpha1");
    ie.put("kind", "InferenceEndpoint");
    ie.put(
        "metadata",
        new LinkedHashMap<>(Map.of("name", "chat", "namespace", "team-a", "resourceVersion", "1")));
    ie.put("spec", spec);
    return ie;
  }

  /** This build's CRDs as the API server lists them; {@code strict=false}: no bound on replicas. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> installed(boolean strict) {
    return SimApiServer.DORMOUSE_CRDS.stream()
        .map(
            resource -> {
              try (InputStream in =
                  InstalledCrdAdmissionTest.class.getClassLoader().getResourceAsStream(resource)) {
                Map<String, Object> crd =
                    io.fabric8.kubernetes.client.utils.Serialization.unmarshal(in, Map.class);
                Map<String, Object> meta = (Map<String, Object>) crd.get("metadata");
                meta.put("resourceVersion", strict ? "1" : "2");
                if (!strict) {
                  loosenReplicas(crd);
                }
                return crd;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .toList();
  }

  private static void loosenReplicas(Map<String, Object> crd) {
    for (Object version : (List<?>) at(crd, "spec", "versions")) {
      Map<String, Object> replicas =
          at(version, "schema", "openAPIV3Schema", "properties", "spec", "properties", "replicas");
      if (replicas != null) { // the GpuTier CRD has none
        replicas.remove("minimum");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Object tree, String... keys) {
    Object at = tree;
    for (String key : keys) {
      at = ((Map<String, Object>) at).get(key);
    }
    return (T) at;
  }
}
