package io.dormouse.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Which projects' API keys may call this endpoint. */
@ValidationRule(
    value = "(has(self.public) && self.public) || (has(self.projects) && size(self.projects) > 0)",
    message = "set access.public to true or list access.projects")
public class AccessSpec {

  @JsonPropertyDescription("Any project's key may call this endpoint.")
  @JsonProperty("public")
  @Default("false")
  private boolean isPublic = false;

  @JsonPropertyDescription("Projects whose keys may call this endpoint when it is not public.")
  @ValidationRule(
      value = "self.all(p, p.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'))",
      message = "each project must be a lowercase DNS label")
  private List<String> projects = new ArrayList<>();

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
