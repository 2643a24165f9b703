package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;

/** The vLLM engine that serves the model. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class EngineSpec {

  @JsonPropertyDescription("The engine container image. Default vllm/vllm-openai:v0.11.0.")
  @Default("vllm/vllm-openai:v0.11.0")
  @Size(min = 1)
  private String image = "vllm/vllm-openai:v0.11.0";

  @JsonPropertyDescription("Extra vLLM command-line arguments, e.g. --max-model-len=8192.")
  private List<String> params = new ArrayList<>();

  @JsonPropertyDescription(
      "GPUs per replica; also the tensor parallel size. Default 1, or the preset's.")
  @Min(1)
  @Max(16)
  private Integer gpusPerReplica;

  @JsonPropertyDescription("Extra environment variables of the engine container.")
  private List<EnvVar> env = new ArrayList<>();

  @JsonPropertyDescription("A persistent volume that caches model weights across wakes.")
  private ModelCacheSpec modelCache;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public List<String> getParams() {
    return params;
  }

  public void setParams(List<String> params) {
    this.params = params;
  }

  public Integer getGpusPerReplica() {
    return gpusPerReplica;
  }

  public void setGpusPerReplica(Integer gpusPerReplica) {
    this.gpusPerReplica = gpusPerReplica;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public ModelCacheSpec getModelCache() {
    return modelCache;
  }

  public void setModelCache(ModelCacheSpec modelCache) {
    this.modelCache = modelCache;
  }
}
