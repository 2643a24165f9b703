package io.dormouse.gateway.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackendSelectionTest {

  static final Backend A = new Backend("10.0.0.1", 8000, "t");
  static final Backend B = new Backend("10.0.0.2", 8000, "t");
  static final Backend C = new Backend("10.0.0.3", 8000, "t");

  static Stream<Arguments> picks() {
    return Stream.of(
        Arguments.of("none", List.of(), Map.of(), 2, 0, null),
        Arguments.of("idle: rotation decides", List.of(A, B, C), Map.of(), 2, 1, B),
        Arguments.of("least outstanding", List.of(A, B, C), Map.of(A.id(), 1, C.id(), 1), 5, 0, B),
        Arguments.of("all at cap", List.of(A, B), Map.of(A.id(), 2, B.id(), 2), 2, 0, null),
        Arguments.of("only one under cap", List.of(A, B), Map.of(A.id(), 2, B.id(), 1), 2, 0, B),
        Arguments.of(
            "cap 1 with one free", List.of(A, B, C), Map.of(A.id(), 1, B.id(), 1), 1, 0, C));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("picks")
  void picksTheLeastLoadedBackendUnderItsCap(
      String why,
      List<Backend> backends,
      Map<String, Integer> load,
      int cap,
      int rotation,
      Backend expected) {
    assertThat(BackendPicker.pick(backends, load, cap, rotation).orElse(null)).isEqualTo(expected);
  }

  @Test
  void freeSlotsAreWhatTheCapsLeave() {
    assertThat(BackendPicker.freeSlots(List.of(A, B), Map.of(A.id(), 3), 5)).isEqualTo(7);
    assertThat(BackendPicker.freeSlots(List.of(A), Map.of(A.id(), 9), 5)).isZero();
  }

  static Stream<Arguments> tiers() {
    Backend spot = new Backend("10.0.1.1", 8000, "spot");
    Backend onDemand = new Backend("10.0.2.1", 8000, "on-demand");
    return Stream.of(
        // Both tiers run when replicas spill over, or while the lower one drains: both serve,
        // the higher first.
        Arguments.of(
            Map.of("spot", List.of(spot), "on-demand", List.of(onDemand)), List.of(spot, onDemand)),
        Arguments.of(Map.of("spot", List.of(), "on-demand", List.of(onDemand)), List.of(onDemand)),
        Arguments.of(Map.of("on-demand", List.of(onDemand)), List.of(onDemand)),
        Arguments.of(Map.of("other", List.of(spot)), List.of()),
        Arguments.of(Map.of(), List.of()));
  }

  @ParameterizedTest
  @MethodSource("tiers")
  void trafficGoesToTheReadyBackendsOfEveryTierHighestFirst(
      Map<String, List<Backend>> ready, List<Backend> expected) {
    assertThat(TierPreference.serving(List.of("spot", "on-demand"), ready)).isEqualTo(expected);
  }

  static Stream<Arguments> conditions() {
    return Stream.of(
        Arguments.of(true, false, true),
        Arguments.of(null, null, true), // unknown readiness reads as ready
        Arguments.of(false, false, false),
        Arguments.of(true, true, false), // terminating: never route to it
        Arguments.of(null, true, false));
  }

  @ParameterizedTest
  @MethodSource("conditions")
  void onlyReadyNonTerminatingAddressesTakeTraffic(
      Boolean ready, Boolean terminating, boolean takes) {
    EndpointSlice slice =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withName("s")
            .endMetadata()
            .addNewPort()
            .withName("metrics")
            .withPort(9000)
            .endPort()
            .addNewPort()
            .withName("http")
            .withPort(8001)
            .endPort()
            .addNewEndpoint()
            .withAddresses("10.0.0.9")
            .withNewConditions()
            .withReady(ready)
            .withTerminating(terminating)
            .endConditions()
            .endEndpoint()
            .build();
    assertThat(SliceBackends.of(slice, "t"))
        .isEqualTo(takes ? List.of(new Backend("10.0.0.9", 8001, "t")) : List.of());
  }
}
