package io.dormouse.api.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The namespace project rule as a table. */
class AllowedProjectsTest {

  /**
   * Columns: the namespace's annotation ("~" none), whether the cluster requires one, the spec's
   * public flag and projects ("|"-separated), then the grant: public, projects, public refused,
   * refused projects.
   */
  @ParameterizedTest(name = "{0} / require={1} / public={2} projects={3}")
  @CsvSource(
      delimiter = ';',
      nullValues = "~",
      value = {
        // no annotation, nothing required: the spec's access as it is
        "~; false; false; search|bot; false; bot|search; false; ",
        "~; false; true; ; true; ; false; ",
        // no annotation but the cluster requires one: nothing may be served
        "~; true; false; search; false; ; false; search",
        "~; true; true; ; false; ; true; ",
        // a declaration narrows the list, and public is refused
        "search; false; false; search|other; false; search; false; other",
        "search; false; true; search; false; search; true; ",
        "search; true; true; ; false; ; true; ",
        "'a, b ,,c'; false; false; a|b|c|d; false; a|b|c; false; d",
        // an empty declaration allows nothing
        "''; false; false; search; false; ; false; search",
        "' , '; true; false; search; false; ; false; search",
        // names are compared exactly
        "Search; false; false; search; false; ; false; search"
      })
  void grantsWhatTheNamespaceAllows(
      String annotation,
      boolean require,
      boolean isPublic,
      String projects,
      boolean grantedPublic,
      String grantedProjects,
      boolean publicRefused,
      String refused) {
    Grant grant = AllowedProjects.of(annotation, require).grant(isPublic, list(projects));

    assertThat(grant.isPublic()).isEqualTo(grantedPublic);
    assertThat(grant.projects()).containsExactlyInAnyOrderElementsOf(list(grantedProjects));
    assertThat(grant.publicRefused()).isEqualTo(publicRefused);
    assertThat(grant.refusedProjects()).containsExactlyElementsOf(list(refused));
    assertThat(grant.refusesAny()).isEqualTo(publicRefused || !list(refused).isEmpty());
    for (String p : list(projects)) {
      assertThat(grant.allows(p))
          .as(p)
          .isEqualTo(grantedPublic || list(grantedProjects).contains(p));
    }
    assertThat(grant.allows("anyone-else")).isEqualTo(grantedPublic);
  }

  @org.junit.jupiter.api.Test
  void thePolicyLooksUpEachNamespace() {
    ProjectPolicy policy =
        new ProjectPolicy(true, java.util.Map.of("ml-serving", "search", "open", ""));

    assertThat(policy.in("ml-serving").projects()).containsExactly("search");
    assertThat(policy.in("open").projects()).isEmpty();
    assertThat(policy.in("undeclared").restricted()).isTrue();
    assertThat(policy.in("undeclared").declared()).isFalse();
    assertThat(ProjectPolicy.OPEN.in("any")).isEqualTo(AllowedProjects.UNRESTRICTED);
  }

  private static List<String> list(String pipeSeparated) {
    return pipeSeparated == null || pipeSeparated.isBlank()
        ? List.of()
        : Arrays.stream(pipeSeparated.split("\\|")).map(String::strip).toList();
  }
}
