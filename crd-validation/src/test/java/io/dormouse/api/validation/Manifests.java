package io.dormouse.api.validation;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Small manifests for the tables: YAML text around a spec, decoded as an API server would. */
final class Manifests {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Manifests() {}

  /** An InferenceEndpoint named {@code chat} with the given spec (YAML, unindented). */
  static String endpoint(String spec) {
    return endpointNamed("chat", spec);
  }

  static String endpointNamed(String name, String spec) {
    return """
        apiVersion: dormouse.io/v1alpha1
        kind: InferenceEndpoint
        metadata:
          name: %s
          namespace: team-a
        spec:
        %s"""
        .formatted(name, spec.indent(2));
  }

  /** A GpuTier named {@code spot-a100} with the given spec (YAML, unindented). */
  static String gpuTier(String spec) {
    return gpuTierNamed("spot-a100", spec);
  }

  static String gpuTierNamed(String name, String spec) {
    return """
        apiVersion: dormouse.io/v1alpha1
        kind: GpuTier
        metadata:
          name: %s
        spec:
        %s"""
        .formatted(name, spec.indent(2));
  }

  static Map<String, Object> parse(String yaml) {
    try {
      return YAML.readValue(yaml, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
