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
}
