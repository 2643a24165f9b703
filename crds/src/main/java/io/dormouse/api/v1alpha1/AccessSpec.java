package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Which projects' API keys may call this endpoint. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value = "(has(self.public) && self.public) || (has(self.projects) && size(self.projects) > 0)",
    message = "set access.public to true or list access.projects")
public class AccessSpec {

  @JsonPropertyDescription("Any project's key may call this endpoint.")
  @JsonProperty("public")
  @Default("false")
  private boolean isPublic = false;

  @JsonPropertyDescription("Projects whose keys may call this endpoint when it is not public.")
  @Size(max = 256)
  @ValidationRule(
      value = "self.all(p, p.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'))",
      message = "each project must be a lowercase DNS label")
  // Bounded items keep the CEL rules over them within the API server's cost budget.
  private List<@Size(max = 63) String> projects = new ArrayList<>();

  @JsonProperty("public")
  public boolean isPublic() {
    return isPublic;
  }

  @JsonProperty("public")
  public void setPublic(boolean isPublic) {
    this.isPublic = isPublic;
  }

  public List<String> getProjects() {
    return projects;
  }

  public void setProjects(List<String> projects) {
    this.projects = projects;
  }
}
