package io.dormouse.operator.presets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import org.junit.jupiter.api.Test;

class EffectiveSpecTest {

  private static final PresetCatalog CATALOG =
      PresetCatalog.parse(
          """
          llama-3-8b:
            model: meta-llama/Meta-Llama-3-8B-Instruct
            params: ["--max-model-len=8192", "--gpu-memory-utilization=0.9"]
            gpusPerReplica: 1
          llama-3-70b:
            model: meta-llama/Meta-Llama-3-70B-Instruct
            gpusPerReplica: 4
          """);

  private static InferenceEndpoint endpoint(String preset, String model) {
    InferenceEndpoint ep = new InferenceEndpoint();
    ep.setMetadata(new ObjectMeta());
    ep.getMetadata().setName("chat");
    ep.getSpec().getModel().setPreset(preset);
    ep.getSpec().getModel().setName(model);
    return ep;
  }

  @Test
  void thePresetFillsWhatTheSpecLeavesOut() {
    EffectiveSpec spec = EffectiveSpec.resolve(endpoint("llama-3-70b", null), CATALOG).spec();
    assertThat(spec.model()).isEqualTo("meta-llama/Meta-Llama-3-70B-Instruct");
    assertThat(spec.gpusPerReplica()).isEqualTo(4);
    assertThat(spec.servedName()).as("defaults to metadata.name").isEqualTo("chat");
  }

  @Test
  void fieldsSetInTheSpecWin() {
    InferenceEndpoint ep = endpoint("llama-3-8b", "my/finetune");
    ep.getSpec().getEngine().setGpusPerReplica(2);
    ep.getSpec().getEngine().setParams(List.of("--max-model-len=4096"));
    EffectiveSpec spec = EffectiveSpec.resolve(ep, CATALOG).spec();
    assertThat(spec.model()).isEqualTo("my/finetune");
    assertThat(spec.gpusPerReplica()).isEqualTo(2);
    assertThat(spec.params())
        .as("the spec's params come last, so vLLM takes them")
        .containsExactly(
            "--max-model-len=8192", "--gpu-memory-utilization=0.9", "--max-model-len=4096");
  }

  @Test
  void anUnknownPresetWithoutAModelIsAnError() {
    EffectiveSpec.Resolution r = EffectiveSpec.resolve(endpoint("nope", null), CATALOG);
    assertThat(r.spec()).isNull();
    assertThat(r.error()).contains("\"nope\"");
  }

  @Test
  void anUnknownPresetBesideAModelIsServedWithoutItAndNamed() {
    EffectiveSpec.Resolution r = EffectiveSpec.resolve(endpoint("nope", "my/model"), CATALOG);
    assertThat(r.spec().model()).isEqualTo("my/model");
    assertThat(r.error()).isNull();
    assertThat(r.missingPreset()).isEqualTo("nope");
    assertThat(EffectiveSpec.resolve(endpoint("nope", null), CATALOG).missingPreset())
        .isEqualTo("nope");
    assertThat(EffectiveSpec.resolve(endpoint("llama-3-8b", "x"), CATALOG).missingPreset())
        .isNull();
  }

  @Test
  void aMalformedCatalogIsRefusedWithItsKey() {
    assertThatThrownBy(() -> PresetCatalog.parse("- just\n- a list\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("presets.yaml");
  }
}
