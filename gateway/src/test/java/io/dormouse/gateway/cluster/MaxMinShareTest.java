package io.dormouse.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaxMinShareTest {

  private static double[] split(double total, double... demands) {
    return MaxMinShare.split(total, demands, MaxMinShare.DEFAULT_FLOOR);
  }

  @Test
  void oneDemandingReplicaOfThreeGetsAlmostTheWholeLimit() {
    double[] s = split(100, 500, 0, 0);
    assertThat(s[0]).isCloseTo(100 * (1 - 0.05 * 2 / 3), within(1e-9));
    assertThat(s[1]).isCloseTo(100 * 0.05 / 3, within(1e-9));
    assertThat(Arrays.stream(s).sum()).isCloseTo(100, within(1e-9));
  }

  @Test
  void withoutDemandEveryoneGetsAnEvenSplit() {
    assertThat(split(90, 0, 0, 0)).containsExactly(30, 30, 30);
  }

  @Test
  void anEightyTwentySplitOfAnOverloadMeetsTheSmallerDemandAndAddsUpToTheLimit() {
    double[] s = split(100, 160, 40); // 40 is within a fair half: met in full, the rest to 160
    assertThat(s[0]).isCloseTo(60, within(1e-9));
    assertThat(s[1]).isCloseTo(40, within(1e-9));
  }

  @Test
  void aSmallDemandIsMetInFullAndTheRestGoesToTheLargeOne() {
    double[] s = split(100, 1000, 10);
    assertThat(s[1]).isGreaterThanOrEqualTo(10);
    assertThat(s[0] + s[1]).isCloseTo(100, within(1e-9));
  }

  @Test
  void whatNobodyAsksForIsSplitEvenly() {
    double[] s = split(100, 20, 10);
    assertThat(s[0] - 20).isCloseTo(s[1] - 10, within(1e-9));
    assertThat(s[0] + s[1]).isCloseTo(100, within(1e-9));
  }

  @ParameterizedTest
  @CsvSource({"1", "2", "3", "7"})
  void sharesAlwaysAddUpToTheTotalAndNeverGoBelowTheFloor(int n) {
    Random random = new Random(n);
    for (int round = 0; round < 2000; round++) {
      double total = 1 + random.nextInt(10_000);
      double[] demands = new double[n];
      for (int i = 0; i < n; i++) {
        demands[i] = random.nextBoolean() ? 0 : random.nextDouble() * total * 2;
      }
      double[] s = split(total, demands);
      assertThat(Arrays.stream(s).sum()).isCloseTo(total, within(1e-6 * total));
      for (double share : s) {
        assertThat(share).isGreaterThanOrEqualTo(MaxMinShare.DEFAULT_FLOOR * total / n - 1e-9);
      }
    }
  }

  @Test
  void nobodyToShareWithGetsNothing() {
    assertThat(MaxMinShare.split(100, new double[0], MaxMinShare.DEFAULT_FLOOR)).isEmpty();
  }

  /** Exact shares: floor (clamped to 0..1), the water level, and the even surplus. */
  @ParameterizedTest(name = "split({0}, [{1}], floor {2}) = [{3}]")
  @CsvSource(
      delimiter = ';',
      value = {
        // everyone's floor is the whole even split: demand changes nothing
        "100; 500 0; 1.0; 50 50",
        // a floor above 1 counts as 1, below 0 as 0
        "100; 500 0; 2.0; 50 50",
        "100; 500 0; -1.0; 100 0",
        "100; 500 0; 0.0; 100 0",
        // negative demand counts as none
        "100; -50 0; 0.05; 50 50",
        // wants (17.5, 7.5) fit in the 95 above the floors: 35 more each
        "100; 20 10; 0.05; 55 45",
        // demand exactly the total: met, nothing left over
        "10; 5 5; 0.0; 5 5",
        "10; 3 3 3; 0.0; 3.3333333333 3.3333333333 3.3333333333",
        // over-asked: the water level rises past the small demands
        "10; 6 6; 0.0; 5 5",
        "12; 2 6 20; 0.0; 2 5 5",
        "12; 1 2 3 20; 0.0; 1 2 3 6",
        "12; 20 3 2 1; 0.0; 6 3 2 1",
        // the floor (0.25 each) comes first, then the water level over the wants
        "10; 2 40; 0.05; 2 8",
        "20; 1 1 30 30; 0.1; 1 1 9 9",
      })
  void exactShares(double total, String demands, double floor, String expected) {
    double[] s = MaxMinShare.split(total, parse(demands), floor);
    double[] want = parse(expected);
    assertThat(s).hasSize(want.length);
    for (int i = 0; i < want.length; i++) {
      assertThat(s[i]).as("share %d", i).isCloseTo(want[i], within(1e-6));
    }
  }

  private static double[] parse(String spaced) {
    return Arrays.stream(spaced.trim().split(" +")).mapToDouble(Double::parseDouble).toArray();
  }
}
