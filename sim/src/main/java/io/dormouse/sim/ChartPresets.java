package io.dormouse.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The model presets catalog of the Helm chart's default values ({@code helm/dormouse/values.yaml},
 * copied onto the class path by the build), as the chart renders it into the operator's presets
 * ConfigMap. The sim serves the same catalog a default install does.
 */
final class ChartPresets {

  static final String VALUES = "dormouse-chart/values.yaml";

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private ChartPresets() {}

  /** The chart's {@code presets} value as the ConfigMap's {@code presets.yaml}. */
  static String catalog() {
    try (InputStream in = ChartPresets.class.getClassLoader().getResourceAsStream(VALUES)) {
      if (in == null) {
        throw new IllegalStateException(VALUES + " is not on the class path");
      }
      JsonNode presets = YAML.readTree(in).path("presets");
      if (!presets.isObject() || presets.isEmpty()) {
        throw new IllegalStateException("the chart's values hold no presets");
      }
      return YAML.writeValueAsString(presets);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + VALUES, e);
    }
  }
}
