package io.dormouse.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.tenancy.ProjectPolicy;
import io.dormouse.api.v1alpha1.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouteTableTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** An endpoint created {@code second} seconds after T0. */
  static EndpointRoute route(
      String ns, String name, int second, String served, boolean pub, String... projects) {
    return new EndpointRoute(
        new EndpointRef(ns, name),
        served,
        "org/" + served,
        "uid-" + ns + "-" + name,
        T0.plusSeconds(second),
        pub,
        java.util.Set.of(projects),
        List.of("t"),
        EndpointLimits.DEFAULTS,
        Duration.ofMinutes(10),
        Phase.Ready,
        null);
  }

  private static final List<EndpointRoute> ROUTES =
      List.of(
          // "b" claimed llama first; "a" sorts first by name but came later
          route("b", "llama", 0, "llama", true),
          route("a", "llama-dup", 10, "llama", false, "nobody"),
          route("a", "mistral", 0, "mistral", false, "alpha", "beta"),
          route("a", "qwen", 0, "qwen/7b", false, "gamma"),
          // the hijack, mid-way: aaa patched to allow search, after ml-serving
          route("ml-serving", "llama3-8b", 0, "llama3-8b", false, "search"),
          route("aaa", "llama3-8b", 60, "llama3-8b", false, "other", "search"),
          // aaa may serve only "other": its public and search are refused
          route("aaa", "open", 0, "open-model", true, "search", "other"));

  private static final RouteTable TABLE =
      new RouteTable(ROUTES, new ProjectPolicy(false, Map.of("aaa", "other")));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("public endpoint, any project", "llama", "zeta", "b/llama"),
        Arguments.of("the owner of a name is the first claimant", "llama", "nobody", "b/llama"),
        Arguments.of(
            "a later claimant only by its qualified name", "a/llama", "nobody", "a/llama-dup"),
        Arguments.of("qualified name of the owner", "b/llama", "zeta", "b/llama"),
        Arguments.of("qualified name, project not allowed", "a/llama", "zeta", null),
        Arguments.of("listed project", "mistral", "beta", "a/mistral"),
        Arguments.of("unlisted project", "mistral", "gamma", null),
        Arguments.of("served name with slash", "qwen/7b", "gamma", "a/qwen"),
        Arguments.of("metadata name is not the served name", "qwen", "gamma", null),
        Arguments.of("unknown model", "gpt-4", "alpha", null),
        Arguments.of("case matters", "Mistral", "alpha", null),
        Arguments.of(
            "the hijacker never gets search's traffic",
            "llama3-8b",
            "search",
            "ml-serving/llama3-8b"),
        Arguments.of("nor other's: the owner does not allow it", "llama3-8b", "other", null),
        Arguments.of("the namespace refuses search to aaa", "aaa/llama3-8b", "search", null),
        Arguments.of("and allows other", "aaa/llama3-8b", "other", "aaa/llama3-8b"),
        Arguments.of("public refused by the namespace", "open-model", "zeta", null),
        Arguments.of("listed but refused by the namespace", "open-model", "search", null),
        Arguments.of("listed and allowed by the namespace", "open-model", "other", "aaa/open"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resolvesModelsForProjects(String why, String model, String project, String expected) {
    assertThat(TABLE.resolve(model, project).map(r -> r.ref().toString()).orElse(null))
        .isEqualTo(expected);
  }

  @Test
  void everyReplicaBuildsTheSameTableWhateverOrderItSawTheEndpointsIn() {
    List<EndpointRoute> reversed = new java.util.ArrayList<>(ROUTES);
    java.util.Collections.reverse(reversed);
    RouteTable other = new RouteTable(reversed, new ProjectPolicy(false, Map.of("aaa", "other")));
    for (Arguments a : cases().toList()) {
      Object[] args = a.get();
      assertThat(other.resolve((String) args[1], (String) args[2]))
          .isEqualTo(TABLE.resolve((String) args[1], (String) args[2]));
    }
  }

  @Test
  void modelsListOnlyWhatTheProjectMayUseOnceEachUnderTheNameThatReachesIt() {
    assertThat(TABLE.visibleTo("alpha"))
        .extracting(RouteTable.Listed::id)
        .containsExactly("llama", "mistral");
    assertThat(TABLE.visibleTo("nobody"))
        .extracting(RouteTable.Listed::id)
        .containsExactly("a/llama", "llama");
    assertThat(TABLE.visibleTo("search"))
        .extracting(RouteTable.Listed::id)
        .containsExactly("llama", "llama3-8b");
    assertThat(TABLE.visibleTo("other"))
        .extracting(RouteTable.Listed::id)
        .containsExactly("aaa/llama3-8b", "llama", "open-model");
  }

  @Test
  void requiringDeclaredProjectsClosesUndeclaredNamespaces() {
    RouteTable strict = new RouteTable(ROUTES, new ProjectPolicy(true, Map.of("aaa", "other")));

    assertThat(strict.resolve("llama3-8b", "search")).as("ml-serving declares nothing").isEmpty();
    assertThat(strict.resolve("llama", "zeta")).isEmpty();
    assertThat(strict.resolve("aaa/llama3-8b", "other")).isPresent();
    assertThat(strict.visibleTo("search")).isEmpty();
  }

  @Test
  void problemsNameWhatAnEndpointDoesNotGet() {
    assertThat(TABLE.problems())
        .containsOnlyKeys(
            new EndpointRef("a", "llama-dup"),
            new EndpointRef("aaa", "llama3-8b"),
            new EndpointRef("aaa", "open"));
    assertThat(TABLE.problems().get(new EndpointRef("aaa", "llama3-8b")))
        .contains("goes to ml-serving/llama3-8b", "reachable as aaa/llama3-8b", "refuses search");
    assertThat(TABLE.problems().get(new EndpointRef("aaa", "open")))
        .contains("refuses public,search");
  }
}
