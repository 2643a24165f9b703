package io.dormouse.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadResultTest {

  @Test
  void survivesTheJsonLineBetweenProcesses() {
    LoadResult r =
        new LoadResult(
            "gateway",
            "closed",
            64,
            0,
            true,
            1000,
            2,
            5.0,
            199.6,
            new LatencySummary(998, 1.5, 3.25, 7.0, 9.0, 1.7),
            new LatencySummary(998, 0.5, 1.0, 2.0, 3.0, 0.6),
            LatencySummary.EMPTY,
            66,
            12.5,
            1.25,
            1250,
            0.25,
            180.5);
    String line = r.toJson();
    assertThat(line).doesNotContain("\n");
    assertThat(LoadResult.fromJson(line)).isEqualTo(r);
  }
}
