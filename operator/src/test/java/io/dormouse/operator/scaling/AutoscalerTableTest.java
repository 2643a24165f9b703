package io.dormouse.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.operator.scaling.Recommendation.Change;
import io.dormouse.operator.scaling.Recommendation.Limit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The autoscaler's decision as a table: policy (min 0, max 4, target 10, window 10 s, scale-down
 * delay 60 s unless a row says otherwise), the count asked for last, the load as steps (seconds
 * after T0, load), now; then the count, the change and the limit.
 */
class AutoscalerTableTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final ScalingPolicy POLICY =
      new ScalingPolicy(0, 4, 10, Duration.ofSeconds(10), Duration.ofSeconds(60));

  static Arguments row(
      String why,
      ScalingPolicy p,
      Integer current,
      long since,
      double[][] steps,
      long now,
      int replicas,
      Change change,
      Limit limit) {
    List<LoadSeries.Step> list = new ArrayList<>();
    for (double[] s : steps) {
      list.add(new LoadSeries.Step(T0.plusSeconds((long) s[0]), s[1]));
    }
    return Arguments.of(
        why,
        p,
        current,
        new LoadSeries(T0.plusSeconds(since), list),
        T0.plusSeconds(now),
        replicas,
        change,
        limit);
  }

  static double[][] steps(double... pairs) {
    double[][] out = new double[pairs.length / 2][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new double[] {pairs[2 * i], pairs[2 * i + 1]};
    }
    return out;
  }

  static Stream<Arguments> rows() {
    ScalingPolicy min2 =
        new ScalingPolicy(2, 4, 10, Duration.ofSeconds(10), Duration.ofSeconds(60));
    return Stream.of(
        row("no load, awake: one replica", POLICY, 1, 0, steps(), 100, 1, Change.NONE, Limit.NONE),
        row("no load, a wake: one", POLICY, null, 0, steps(), 100, 1, Change.NONE, Limit.NONE),
        row(
            "min 2 with no load: 2, pinned at the minimum",
            min2,
            2,
            0,
            steps(),
            100,
            2,
            Change.NONE,
            Limit.AT_MIN),
        row(
            "40 in flight for a whole window: 4 at once",
            POLICY,
            1,
            0,
            steps(50, 40),
            60,
            4,
            Change.UP,
            Limit.NONE),
        row(
            "40 for half the window: the latest counts at once, 4",
            POLICY,
            1,
            0,
            steps(55, 40),
            60,
            4,
            Change.UP,
            Limit.NONE),
        row(
            "a burst that is over: the mean (20) keeps 2 while it is in the window",
            POLICY,
            1,
            0,
            steps(50, 40, 55, 0),
            60,
            2,
            Change.UP,
            Limit.NONE),
        row(
            "exactly the target per replica: no extra replica",
            POLICY,
            1,
            0,
            steps(10, 30),
            60,
            3,
            Change.UP,
            Limit.NONE),
        row(
            "100 in flight: 4, the maximum",
            POLICY,
            2,
            0,
            steps(10, 100),
            60,
            4,
            Change.UP,
            Limit.AT_MAX),
        row(
            "the load fell 30 s ago: 4 kept (the delay is 60 s)",
            POLICY,
            4,
            0,
            steps(10, 40, 100, 0),
            130,
            4,
            Change.HELD,
            Limit.NONE),
        row(
            "the load fell 71 s ago (window 10 s + delay 60 s): down to 1",
            POLICY,
            4,
            0,
            steps(10, 40, 100, 0),
            171,
            1,
            Change.DOWN,
            Limit.NONE),
        row(
            "a peak of 20 within the delay: down only to 2",
            POLICY,
            4,
            0,
            steps(10, 40, 100, 20, 140, 0),
            175,
            2,
            Change.DOWN,
            Limit.NONE),
        row(
            "watched for less than the delay (an operator restart): nothing removed yet",
            POLICY,
            4,
            100,
            steps(),
            130,
            4,
            Change.HELD,
            Limit.NONE),
        row(
            "maxReplicas lowered below the count: down at once",
            POLICY,
            6,
            0,
            steps(10, 100),
            60,
            4,
            Change.DOWN,
            Limit.AT_MAX),
        row(
            "the load of a stale gateway already dropped out: 0, the count falls after the delay",
            POLICY,
            3,
            0,
            steps(0, 30, 20, 0),
            200,
            1,
            Change.DOWN,
            Limit.NONE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(
      String why,
      ScalingPolicy p,
      Integer current,
      LoadSeries load,
      Instant now,
      int replicas,
      Change change,
      Limit limit) {
    Recommendation r = Autoscaler.decide(p, current, load, now);
    assertThat(r.replicas()).as("replicas").isEqualTo(replicas);
    assertThat(r.change()).as("change").isEqualTo(change);
    assertThat(r.limit()).as("limit").isEqualTo(limit);
    assertThat(r.message()).contains("target 10 per replica");
  }

  @Test
  void theShorthandIsAFixedCountWhateverTheLoad() {
    Recommendation r =
        Autoscaler.decide(
            ScalingPolicy.fixed(3),
            3,
            new LoadSeries(T0, List.of(new LoadSeries.Step(T0, 500))),
            T0.plusSeconds(60));
    assertThat(r.replicas()).isEqualTo(3);
    assertThat(r.change()).isEqualTo(Change.NONE);
    assertThat(r.recheckAt()).isEmpty();
  }

  @Test
  void aHeldScaleDownSaysWhenToLookAgain() {
    Recommendation r =
        Autoscaler.decide(
            POLICY,
            4,
            new LoadSeries(
                T0,
                List.of(
                    new LoadSeries.Step(T0.plusSeconds(10), 40),
                    new LoadSeries.Step(T0.plusSeconds(100), 0))),
            T0.plusSeconds(130));
    assertThat(r.change()).isEqualTo(Change.HELD);
    assertThat(r.message()).contains("stayed lower for 1m");
    // the last recommendation of 4 is at 100 s + 7.5 s at the latest; the check is due by 170 s
    assertThat(r.recheckAt()).hasValueSatisfying(t -> assertThat(t).isBefore(T0.plusSeconds(171)));
  }

  @Test
  void aMovingMeanIsLookedAtAgainWithinAFifthOfTheWindow() {
    Recommendation r =
        Autoscaler.decide(
            POLICY,
            1,
            new LoadSeries(T0, List.of(new LoadSeries.Step(T0.plusSeconds(58), 4))),
            T0.plusSeconds(60));
    assertThat(r.replicas()).isEqualTo(1);
    assertThat(r.recheckAt()).contains(T0.plusSeconds(62));
  }

  @Test
  void theMeanIsTimeWeightedAndClippedToWhatIsKnown() {
    LoadSeries s =
        new LoadSeries(
            T0.plusSeconds(5),
            List.of(
                new LoadSeries.Step(T0.plusSeconds(10), 10),
                new LoadSeries.Step(T0.plusSeconds(15), 30)));
    // known from 5 s: 0 for 5 s, 10 for 5 s, 30 for 5 s over (5, 20]
    assertThat(s.average(T0.plusSeconds(20), Duration.ofSeconds(60))).isEqualTo(40.0 / 3);
    assertThat(s.average(T0.plusSeconds(20), Duration.ofSeconds(5))).isEqualTo(30.0);
    assertThat(s.at(T0.plusSeconds(12))).isEqualTo(10.0);
    assertThat(s.average(T0.plusSeconds(5), Duration.ofSeconds(10))).isZero();
  }
}
