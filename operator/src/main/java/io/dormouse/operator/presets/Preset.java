package io.dormouse.operator.presets;

import java.util.List;

/** One entry of the model catalog: what a preset name stands for. */
public record Preset(String model, List<String> params, Integer gpusPerReplica) {

  public Preset {
    params = params == null ? List.of() : List.copyOf(params);
  }
}
