package io.dormouse.operator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dormouse.api.v1alpha1.CapacityType;
import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.ledger.rows.GpuInterval;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpuIntervalsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static GpuTier tier(String name, String price, String currency) {
    GpuTier t = new GpuTier();
    t.setMetadata(new ObjectMeta());
    t.getMetadata().setName(name);
    t.getSpec().setCapacityType(CapacityType.SPOT);
    t.getSpec().setPricePerGpuHour(price);
    t.getSpec().setCurrency(currency);
    return t;
  }

  private static final Map<String, GpuTier> TIERS =
      Map.of("spot", tier("spot", "1.20", "USD"), "od", tier("od", "3.60", "USD"));

  /** An engine pod of llama on the tier, asking for {@code gpus}, bound at {@code bound}. */
  private static Pod pod(String uid, String tier, int gpus, Instant bound) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withUid(uid)
            .withName("llama-" + tier + "-" + uid)
            .withNamespace("team")
            .addToLabels(Wiring.LABEL_ENDPOINT, "llama")
            .addToLabels(Wiring.LABEL_TIER, tier)
            .addToLabels(Wiring.LABEL_ROLE, Wiring.ROLE_ENGINE)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("engine")
            .withNewResources()
            .addToLimits("nvidia.com/gpu", new Quantity(Integer.toString(gpus)))
            .endResources()
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase(bound == null ? "Pending" : "Running")
            .endStatus();
    if (bound != null) {
      b.editSpec().withNodeName("node-" + tier).endSpec();
      b.editStatus()
          .addNewCondition()
          .withType("PodScheduled")
          .withStatus("True")
          .withLastTransitionTime(bound.toString())
          .endCondition()
          .endStatus();
    }
    return b.build();
  }

  @Test
  void anIntervalOpensWhenThePodIsBoundAndClosesWhenItIsGone() {
    GpuIntervals intervals = new GpuIntervals(T0);
    Pod pending = pod("u1", "spot", 2, null);

    assertThat(intervals.observe(List.of(pending), TIERS, T0).rows())
        .as("a pending pod holds no GPU yet")
        .isEmpty();

    Pod bound = pod("u1", "spot", 2, T0.plusSeconds(3));
    List<GpuInterval> opened = intervals.observe(List.of(bound), TIERS, T0.plusSeconds(5)).rows();
    assertThat(opened)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.podUid()).isEqualTo("u1");
              assertThat(i.startedAt())
                  .as("from the binding, not from when it was seen")
                  .isEqualTo(T0.plusSeconds(3));
              assertThat(i.endedAt()).isNull();
              assertThat(i.gpus()).isEqualTo(2);
              assertThat(i.pricePerGpuHour()).isEqualByComparingTo("1.20");
              assertThat(i.currency()).isEqualTo("USD");
              assertThat(i.node()).isEqualTo("node-spot");
              assertThat(i.tier()).isEqualTo("spot");
              assertThat(i.endpoint()).isEqualTo("llama");
            });

    assertThat(intervals.observe(List.of(bound), TIERS, T0.plusSeconds(30)).rows())
        .as("seen again: nothing new")
        .isEmpty();

    List<GpuInterval> closed = intervals.observe(List.of(), TIERS, T0.plusSeconds(60)).rows();
    assertThat(closed)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.podUid()).isEqualTo("u1");
              assertThat(i.startedAt()).isEqualTo(T0.plusSeconds(3));
              assertThat(i.endedAt()).isEqualTo(T0.plusSeconds(60));
            });
    assertThat(intervals.open()).isEmpty();
  }

  @Test
  void theStartingPriceStaysWhenTheTierChangesItsPrice() {
    GpuIntervals intervals = new GpuIntervals(T0);
    Pod bound = pod("u1", "spot", 1, T0);
    intervals.observe(List.of(bound), TIERS, T0);

    Map<String, GpuTier> dearer = Map.of("spot", tier("spot", "9.99", "USD"));
    intervals.observe(List.of(bound), dearer, T0.plusSeconds(60));
    List<GpuInterval> closed = intervals.observe(List.of(), dearer, T0.plusSeconds(120)).rows();

    assertThat(closed.get(0).pricePerGpuHour()).isEqualByComparingTo("1.20");
  }

  @Test
  void finishedPodsAndPodsWithoutGpusHoldNone() {
    GpuIntervals intervals = new GpuIntervals(T0);
    Pod finished =
        new PodBuilder(pod("u1", "spot", 1, T0))
            .editStatus()
            .withPhase("Failed")
            .endStatus()
            .build();
    Pod cpuOnly = pod("u2", "spot", 0, T0);
    Pod unknownTier = pod("u3", "gone", 1, T0);

    List<GpuInterval> rows =
        intervals.observe(List.of(finished, cpuOnly, unknownTier), TIERS, T0).rows();

    assertThat(rows)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.podUid())
                  .as("a deleted tier's pod still counts, at no price")
                  .isEqualTo("u3");
              assertThat(i.pricePerGpuHour()).isEqualByComparingTo(BigDecimal.ZERO);
            });
  }

  @Test
  void costAccruesAsGpuHoursTimesPricePerEndpointAndTier() {
    GpuIntervals intervals = new GpuIntervals(T0);
    Pod spot = pod("u1", "spot", 2, T0);
    Pod od = pod("u2", "od", 1, T0);
    intervals.observe(List.of(spot, od), TIERS, T0);

    GpuIntervals.Step halfHour =
        intervals.observe(List.of(spot, od), TIERS, T0.plus(Duration.ofMinutes(30)));
    GpuIntervals.Step closing =
        intervals.observe(List.of(od), TIERS, T0.plus(Duration.ofMinutes(60)));

    double spotCost = sum(halfHour, "spot") + sum(closing, "spot");
    double odCost = sum(halfHour, "od") + sum(closing, "od");
    assertThat(spotCost).as("2 GPUs × 1 h × 1.20").isCloseTo(2.40, within(1e-9));
    assertThat(odCost).as("1 GPU × 1 h × 3.60").isCloseTo(3.60, within(1e-9));
  }

  @Test
  void costBeforeThisProcessStartedIsNotItsToCount() {
    GpuIntervals intervals = new GpuIntervals(T0);
    Pod longRunning = pod("u1", "od", 1, T0.minus(Duration.ofHours(5)));
    intervals.observe(List.of(longRunning), TIERS, T0);

    GpuIntervals.Step step =
        intervals.observe(List.of(longRunning), TIERS, T0.plus(Duration.ofHours(1)));

    assertThat(sum(step, "od")).isCloseTo(3.60, within(1e-9));
  }

  @Test
  void aRestartNeitherDuplicatesNorLosesAnInterval() {
    Instant bound = T0.minus(Duration.ofMinutes(10));
    GpuInterval stillRunning = interval("u1", bound);
    GpuInterval goneWhileDown = interval("u2", bound);
    Pod running = pod("u1", "spot", 1, bound);
    Pod neverRecorded = pod("u3", "spot", 1, bound.plusSeconds(30));

    GpuIntervals afterRestart = new GpuIntervals(T0);
    List<GpuInterval> firstSight =
        afterRestart.observe(List.of(running, neverRecorded), TIERS, T0).rows();
    List<GpuInterval> adopted =
        afterRestart
            .adopt(
                List.of(stillRunning, goneWhileDown),
                List.of(running, neverRecorded),
                T0.plusSeconds(5))
            .rows();

    assertThat(firstSight)
        .as(
            "pods running now are opened again with their binding time: an upsert by uid stores"
                + " nothing new for u1, and u3 (lost before it was written) is not lost")
        .extracting(GpuInterval::podUid, GpuInterval::startedAt)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("u1", bound),
            org.assertj.core.groups.Tuple.tuple("u3", bound.plusSeconds(30)));
    assertThat(adopted)
        .as("only the interval of the pod that went away while no operator watched is closed")
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.podUid()).isEqualTo("u2");
              assertThat(i.startedAt()).isEqualTo(bound);
              assertThat(i.endedAt()).isEqualTo(T0.plusSeconds(5));
            });
    assertThat(afterRestart.open()).containsOnlyKeys("u1", "u3");
    assertThat(
            afterRestart.observe(List.of(running, neverRecorded), TIERS, T0.plusSeconds(10)).rows())
        .isEmpty();
  }

  private static GpuInterval interval(String uid, Instant start) {
    return new GpuInterval(
        uid,
        "team",
        "llama",
        "spot",
        "llama-spot-" + uid,
        "node-spot",
        1,
        new BigDecimal("1.20"),
        "USD",
        start,
        null);
  }

  private static double sum(GpuIntervals.Step step, String tier) {
    return step.costs().stream()
        .filter(c -> c.tier().equals(tier))
        .mapToDouble(GpuIntervals.Cost::amount)
        .sum();
  }
}
