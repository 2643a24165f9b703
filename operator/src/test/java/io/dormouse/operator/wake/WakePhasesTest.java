package io.dormouse.operator.wake;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.duration.GoDuration;
import io.dormouse.api.v1alpha1.WakeRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A wake cut into phases: one row per kind of wake, in seconds after the wake began. Columns:
 * attempt, node ready, scheduled, pulled, listening, pod ready, observed; then the expected
 * tier_fallback, node_provisioning, scheduling, image_pull, container_start, model_load,
 * registration.
 */
class WakePhasesTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Stream<Arguments> wakes() {
    return Stream.of(
        Arguments.of(
            "a warm node: no provisioning, no pull",
            times(0, -600, 1, null, 2, 40, 41),
            List.of(0, 0, 1, 0, 1, 38, 1)),
        Arguments.of(
            "a new node from Karpenter, then a pull and a load",
            times(0, 75, 76, 136, 138, 200, 201),
            List.of(0, 75, 1, 60, 2, 62, 1)),
        Arguments.of(
            "after a tier fallback, on a node made for it",
            times(300, 380, 381, 381, 383, 420, 420),
            List.of(300, 80, 1, 0, 2, 37, 0)),
        Arguments.of(
            "nothing known but the ends: all registration",
            times(null, null, null, null, null, null, 30),
            List.of(0, 0, 0, 0, 0, 0, 30)),
        Arguments.of(
            "instants out of order are clamped, never negative",
            times(0, 50, 40, 45, 44, 100, 90),
            List.of(0, 50, 0, 0, 0, 40, 0)),
        Arguments.of(
            "a node older than the attempt was not provisioned for it",
            times(10, 5, 12, null, 13, 20, 21),
            List.of(10, 0, 2, 0, 1, 7, 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wakes")
  void cutsTheWakeIntoConsecutivePhases(String name, WakeTimeline timeline, List<Integer> want) {
    WakePhases phases = WakePhases.of("spot", timeline);

    assertThat(phases.byName().values().stream().map(Duration::toSeconds).toList())
        .containsExactlyElementsOf(want.stream().map(Integer::longValue).toList());
    assertThat(phases.byName().values().stream().reduce(Duration.ZERO, Duration::plus))
        .isEqualTo(phases.total())
        .isEqualTo(Duration.between(timeline.wakeStarted(), timeline.observedReady()));
  }

  @Test
  void theStatusRecordSaysEachPhaseAsADurationThatAddsUpToTheTotal() {
    WakeRecord r =
        WakePhases.of(
                "spot",
                new WakeTimeline(
                    T0,
                    T0,
                    T0.plusSeconds(75),
                    T0.plusMillis(75_500),
                    T0.plusSeconds(136),
                    T0.plusSeconds(138),
                    T0.plusMillis(200_250),
                    T0.plusSeconds(201)))
            .toRecord();

    assertThat(r.getTier()).isEqualTo("spot");
    assertThat(r.getStartedAt()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(r.getTotal()).isEqualTo("3m21s");
    assertThat(r.getNodeProvisioning()).isEqualTo("1m15s");
    assertThat(r.getScheduling()).isEqualTo("500ms");
    assertThat(r.getModelLoad()).isEqualTo("1m2s250ms");
    Duration sum =
        Stream.of(
                r.getTierFallback(),
                r.getNodeProvisioning(),
                r.getScheduling(),
                r.getImagePull(),
                r.getContainerStart(),
                r.getModelLoad(),
                r.getRegistration())
            .map(GoDuration::parse)
            .reduce(Duration.ZERO, Duration::plus);
    assertThat(sum).isEqualTo(GoDuration.parse(r.getTotal()));
  }

  private static WakeTimeline times(Integer... at) {
    Instant[] i = new Instant[at.length];
    for (int k = 0; k < at.length; k++) {
      i[k] = at[k] == null ? null : T0.plusSeconds(at[k]);
    }
    return new WakeTimeline(T0, i[0], i[1], i[2], i[3], i[4], i[5], i[6]);
  }
}
