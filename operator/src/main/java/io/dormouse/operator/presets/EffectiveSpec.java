package io.dormouse.operator.presets;

import io.dormouse.api.v1alpha1.EngineSpec;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.InferenceEndpointSpec;
import io.dormouse.api.v1alpha1.ModelCacheSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The engine an endpoint runs, with its preset applied: fields set in the endpoint win, and the
 * preset's params come first so that the endpoint's own params override them (vLLM keeps the last
 * value of a repeated flag).
 */
public record EffectiveSpec(
    String model,
    String servedName,
    String image,
    List<String> params,
    int gpusPerReplica,
    List<EnvVar> env,
    ModelCacheSpec modelCache,
    int replicas) {

  public EffectiveSpec {
    params = List.copyOf(params);
    env = List.copyOf(env);
  }

  /**
   * The effective spec, or why there is none.
   *
   * @param missingPreset the preset the spec names but the catalog lacks, or null; with model.name
   *     set the endpoint is served without it
   */
  public record Resolution(EffectiveSpec spec, String error, String missingPreset) {}

  public static Resolution resolve(InferenceEndpoint endpoint, PresetCatalog catalog) {
    InferenceEndpointSpec spec = endpoint.getSpec();
    EngineSpec engine = spec.getEngine() == null ? new EngineSpec() : spec.getEngine();
    String presetName = spec.getModel() == null ? null : spec.getModel().getPreset();
    Optional<Preset> preset = presetName == null ? Optional.empty() : catalog.find(presetName);
    String model = spec.getModel() == null ? null : spec.getModel().getName();
    String missing = presetName != null && preset.isEmpty() ? presetName : null;
    if (missing != null && model == null) {
      return new Resolution(
          null,
          "preset \"" + presetName + "\" is not in the model catalog and model.name is unset",
          missing);
    }
    if (model == null) {
      model = preset.map(Preset::model).orElse(null);
    }
    if (model == null) {
      return new Resolution(null, "no model: set model.name or a preset that names one", null);
    }
    List<String> params = new ArrayList<>(preset.map(Preset::params).orElse(List.of()));
    if (engine.getParams() != null) {
      params.addAll(engine.getParams());
    }
    int gpus =
        engine.getGpusPerReplica() != null
            ? engine.getGpusPerReplica()
            : preset.map(Preset::gpusPerReplica).orElse(1);
    String served =
        spec.getModel() != null && spec.getModel().getServedName() != null
            ? spec.getModel().getServedName()
            : endpoint.getMetadata().getName();
    return new Resolution(
        new EffectiveSpec(
            model,
            served,
            engine.getImage(),
            params,
            gpus,
            engine.getEnv() == null ? List.of() : engine.getEnv(),
            engine.getModelCache(),
            spec.getReplicas() == null ? 1 : spec.getReplicas()),
        null,
        missing);
  }
}
