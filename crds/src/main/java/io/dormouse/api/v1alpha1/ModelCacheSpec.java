package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A persistent volume that caches model weights across wakes. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class ModelCacheSpec {

  @JsonPropertyDescription("Name of a PersistentVolumeClaim in the endpoint's namespace.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  private String claimName;

  @JsonPropertyDescription("Where the volume is mounted in the engine container. Default /models.")
  @Default("/models")
  @Pattern("^/.*")
  private String mountPath = "/models";

  public String getClaimName() {
    return claimName;
  }

  public void setClaimName(String claimName) {
    this.claimName = claimName;
  }

  public String getMountPath() {
    return mountPath;
  }

  public void setMountPath(String mountPath) {
    this.mountPath = mountPath;
  }
}
