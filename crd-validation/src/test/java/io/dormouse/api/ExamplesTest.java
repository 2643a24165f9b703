package io.dormouse.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.validation.CrdValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every manifest under examples/ is a valid object of its Java type, as a user would apply it. */
class ExamplesTest {

  /** The module runs its tests from crd-validation/; the examples live at the repository root. */
  private static final Path EXAMPLES = Path.of("..", "examples");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization KUBE = new KubernetesSerialization();
  private static final CrdValidator VALIDATOR = CrdValidator.forDormouse();

  record Document(Path file, int index, Map<String, Object> object) {
    @Override
    public String toString() {
      return file.getFileName() + "#" + index;
    }
  }

  /** The Dormouse objects of the examples; the rest is what they need (namespace, claim). */
  static Stream<Arguments> documents() throws IOException {
    return dormouseDocuments().stream().map(Arguments::of);
  }

  private static List<Document> dormouseDocuments() throws IOException {
    return allDocuments().stream()
        .filter(d -> String.valueOf(d.object().get("apiVersion")).startsWith("dormouse.io/"))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void isValidAsWritten(Document doc) {
    assertThat(VALIDATOR.validate(doc.object()).errors()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void isValidAfterARoundTripThroughItsJavaType(Document doc) {
    HasMetadata typed = KUBE.convertValue(doc.object(), javaType(doc));

    @SuppressWarnings("unchecked")
    Map<String, Object> serialized = KUBE.convertValue(typed, Map.class);

    assertThat(typed.getMetadata().getName()).isNotBlank();
    assertThat(VALIDATOR.validate(serialized).errors()).isEmpty();
  }

  /**
   * The operator reads objects through the Java types, and the mock API server in tests applies no
   * CRD defaults; the types' own field defaults must therefore be the CRD's.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void javaDefaultsAgreeWithTheCrdDefaults(Document doc) {
    Class<? extends HasMetadata> type = javaType(doc);
    HasMetadata asWritten = KUBE.convertValue(doc.object(), type);
    HasMetadata defaultedByCrd = KUBE.convertValue(VALIDATOR.withDefaults(doc.object()), type);

    assertThat(KUBE.asJson(asWritten)).isEqualTo(KUBE.asJson(defaultedByCrd));
  }

  @Test
  void theRequiredExamplesExist() throws IOException {
    List<String> names = allDocuments().stream().map(Document::toString).toList();

    assertThat(names)
        .contains(
            "00-namespace.yaml#0",
            "minimal-endpoint.yaml#0",
            "spot-then-on-demand.yaml#0",
            "gpu-tiers.yaml#0",
            "gpu-tiers.yaml#1",
            "karpenter-gpu-tiers.yaml#0",
            "karpenter-gpu-tiers.yaml#1",
            "webhook.yaml#1");
    assertThat(dormouseDocuments()).hasSizeGreaterThanOrEqualTo(5);
  }

  /**
   * What the examples apply besides Dormouse objects is what their endpoints need on a cluster: the
   * namespace they live in, and each claim they mount.
   */
  @Test
  void theExamplesCreateTheNamespacesAndClaimsTheirEndpointsNeed() throws IOException {
    List<Document> docs = allDocuments();
    List<InferenceEndpoint> endpoints =
        docs.stream()
            .filter(d -> "InferenceEndpoint".equals(d.object().get("kind")))
            .map(d -> KUBE.convertValue(d.object(), InferenceEndpoint.class))
            .toList();
    List<String> namespaces =
        docs.stream()
            .filter(d -> "Namespace".equals(d.object().get("kind")))
            .map(d -> String.valueOf(((Map<?, ?>) d.object().get("metadata")).get("name")))
            .toList();
    List<String> claims =
        docs.stream()
            .filter(d -> "PersistentVolumeClaim".equals(d.object().get("kind")))
            .map(d -> (Map<?, ?>) d.object().get("metadata"))
            .map(m -> m.get("namespace") + "/" + m.get("name"))
            .toList();

    assertThat(docs)
        .extracting(d -> String.valueOf(d.object().get("kind")))
        .allMatch(
            k ->
                List.of(
                        "InferenceEndpoint",
                        "GpuTier",
                        "Namespace",
                        "PersistentVolumeClaim",
                        "Webhook",
                        "Secret")
                    .contains(k));
    for (InferenceEndpoint e : endpoints) {
      assertThat(namespaces)
          .as("namespace of %s", e.getMetadata().getName())
          .contains(e.getMetadata().getNamespace());
      if (e.getSpec().getEngine() != null && e.getSpec().getEngine().getModelCache() != null) {
        assertThat(claims)
            .contains(
                e.getMetadata().getNamespace()
                    + "/"
                    + e.getSpec().getEngine().getModelCache().getClaimName());
      }
    }
    // The namespace sorts first, so that kubectl apply -f examples/ creates it before its objects.
    assertThat(docs.get(0).object().get("kind")).isEqualTo("Namespace");
  }

  @Test
  void everyTierAnExampleNamesIsAnExampleGpuTier() throws IOException {
    List<Document> docs = dormouseDocuments();
    List<String> tierNames =
        docs.stream()
            .filter(d -> "GpuTier".equals(d.object().get("kind")))
            .map(d -> KUBE.convertValue(d.object(), GpuTier.class).getMetadata().getName())
            .toList();
    List<String> named =
        docs.stream()
            .filter(d -> "InferenceEndpoint".equals(d.object().get("kind")))
            .flatMap(
                d ->
                    KUBE
                        .convertValue(d.object(), InferenceEndpoint.class)
                        .getSpec()
                        .getTiers()
                        .stream())
            .toList();

    assertThat(tierNames)
        .containsExactlyInAnyOrder(
            "spot-a100", "on-demand-a100", "karpenter-spot-a100", "karpenter-on-demand-a100");
    assertThat(tierNames).containsAll(named);
  }

  private static Class<? extends HasMetadata> javaType(Document doc) {
    Object kind = doc.object().get("kind");
    assertThat(kind).as("kind of %s", doc).isIn("InferenceEndpoint", "GpuTier", "Webhook");
    if ("Webhook".equals(kind)) {
      return io.dormouse.api.v1alpha1.Webhook.class;
    }
    return "GpuTier".equals(kind) ? GpuTier.class : InferenceEndpoint.class;
  }

  private static List<Document> allDocuments() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(EXAMPLES)) {
      files =
          listing
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    }
    List<Document> docs = new ArrayList<>();
    for (Path file : files) {
      try (MappingIterator<Map<String, Object>> it =
          YAML.readerFor(new TypeReference<Map<String, Object>>() {})
              .readValues(Files.readString(file))) {
        int index = 0;
        while (it.hasNext()) {
          Map<String, Object> object = it.next();
          if (object != null && !object.isEmpty()) {
            docs.add(new Document(file, index++, object));
          }
        }
      }
    }
    return docs;
  }
}
