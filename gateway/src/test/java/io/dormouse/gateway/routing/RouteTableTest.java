package io.dormouse.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouteTableTest {

  static EndpointRoute route(
      String ns, String name, String served, boolean pub, String... projects) {
    return new EndpointRoute(
        new EndpointRef(ns, name),
        served,
        pub,
        Set.of(projects),
        List.of("t"),
        EndpointLimits.DEFAULTS,
        Duration.ofMinutes(10),
        Phase.Ready,
        null);
  }

  private static final RouteTable TABLE =
      new RouteTable(
          List.of(
              route("b", "llama", "llama", true),
              route("a", "llama-dup", "llama", false, "nobody"),
              route("a", "mistral", "mistral", false, "alpha", "beta"),
              route("a", "qwen", "qwen/7b", false, "gamma")));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("public endpoint, any project", "llama", "zeta", null),
        Arguments.of("listed project", "mistral", "beta", "a/mistral"),
        Arguments.of("unlisted project", "mistral", "gamma", null),
        Arguments.of("served name with slash", "qwen/7b", "gamma", "a/qwen"),
        Arguments.of("metadata name is not the served name", "qwen", "gamma", null),
        Arguments.of("unknown model", "gpt-4", "alpha", null),
        Arguments.of("case matters", "Mistral", "alpha", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resolvesServedNamesForProjects(String why, String model, String project, String expected) {
    var resolved = TABLE.resolve(model, project).map(r -> r.ref().toString());
    if ("llama".equals(model)) {
      // two endpoints claim "llama": the first by (namespace, name) wins everywhere, here
      // a/llama-dup
      assertThat(resolved).isEmpty();
    } else {
      assertThat(resolved.orElse(null)).isEqualTo(expected);
    }
  }

  @org.junit.jupiter.api.Test
  void modelsListOnlyWhatTheProjectMayUse() {
    assertThat(TABLE.visibleTo("alpha"))
        .extracting(EndpointRoute::servedName)
        .containsExactly("mistral");
    assertThat(TABLE.visibleTo("nobody"))
        .extracting(EndpointRoute::servedName)
        .containsExactly("llama");
  }
}
