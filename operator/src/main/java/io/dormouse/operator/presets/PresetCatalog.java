package io.dormouse.operator.presets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The model catalog: the {@code presets.yaml} entry of the presets ConfigMap, a YAML map of {@code
 * <name>: {model, params, gpusPerReplica}}.
 */
public final class PresetCatalog {

  public static final String DATA_KEY = "presets.yaml";

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Map<String, Preset> presets;

  private PresetCatalog(Map<String, Preset> presets) {
    this.presets = Map.copyOf(presets);
  }

  public static PresetCatalog empty() {
    return new PresetCatalog(Map.of());
  }

  /**
   * @throws IllegalArgumentException when the text is not such a YAML map
   */
  public static PresetCatalog parse(String yaml) {
    if (yaml == null || yaml.isBlank()) {
      return empty();
    }
    try {
      Map<String, Preset> parsed =
          YAML.readValue(
              yaml,
              YAML.getTypeFactory()
                  .constructMapType(LinkedHashMap.class, String.class, Preset.class));
      return new PresetCatalog(parsed == null ? Map.of() : parsed);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          DATA_KEY + " is not a map of presets: " + e.getOriginalMessage(), e);
    }
  }

  public Optional<Preset> find(String name) {
    return Optional.ofNullable(presets.get(name));
  }

  public int size() {
    return presets.size();
  }
}
