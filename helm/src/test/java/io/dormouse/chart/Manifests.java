package io.dormouse.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The documents of one rendering, parsed, with the look-ups the tests need. */
final class Manifests {

  static final YAMLMapper YAML = new YAMLMapper();
  private static final KubernetesSerialization KUBE = new KubernetesSerialization();

  /** Kinds whose spec.template is a pod template. */
  private static final Set<String> POD_TEMPLATE_KINDS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

  private final List<JsonNode> documents;

  private Manifests(List<JsonNode> documents) {
    this.documents = List.copyOf(documents);
  }

  static Manifests parse(String rendered) {
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(rendered)) {
      while (it.hasNext()) {
        JsonNode document = it.next();
        if (document != null && document.isObject() && !document.isEmpty()) {
          documents.add(document);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("the chart rendered invalid YAML", e);
    }
    return new Manifests(documents);
  }

  List<JsonNode> all() {
    return documents;
  }

  List<JsonNode> ofKind(String kind) {
    return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  JsonNode one(String kind, String name) {
    List<JsonNode> found =
        ofKind(kind).stream().filter(d -> name.equals(d.at("/metadata/name").asText())).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + " " + name + ", found " + found.size());
    }
    return found.get(0);
  }

  <T> T one(String kind, String name, Class<T> type) {
    return as(one(kind, name), type);
  }

  <T> List<T> ofKind(String kind, Class<T> type) {
    return ofKind(kind).stream().map(d -> as(d, type)).toList();
  }

  /** Every pod this rendering would run, by "Kind/name" of its owner. */
  Map<String, PodTemplateSpec> podTemplates() {
    Map<String, PodTemplateSpec> pods = new java.util.LinkedHashMap<>();
    for (JsonNode d : documents) {
      String kind = d.path("kind").asText();
      String id = kind + "/" + d.at("/metadata/name").asText();
      if (POD_TEMPLATE_KINDS.contains(kind)) {
        pods.put(id, as(d.at("/spec/template"), PodTemplateSpec.class));
      } else if (kind.equals("CronJob")) {
        pods.put(id, as(d.at("/spec/jobTemplate/spec/template"), PodTemplateSpec.class));
      } else if (kind.equals("Pod")) {
        pods.put(id, as(d, PodTemplateSpec.class));
      }
    }
    return pods;
  }

  static <T> T as(JsonNode node, Class<T> type) {
    return KUBE.convertValue(node, type);
  }
}
