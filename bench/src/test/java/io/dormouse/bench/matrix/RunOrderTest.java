package io.dormouse.bench.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunOrderTest {

  private final List<Target> all = List.of(Target.DIRECT, Target.GATEWAY, Target.NGINX);

  @Test
  void rotatesSoEachTargetLeadsEquallyOften() {
    Map<Target, Integer> first = new HashMap<>();
    for (int repeat = 0; repeat < 3; repeat++) {
      for (int cell = 0; cell < 8; cell++) {
        List<Target> order = RunOrder.of(all, repeat, cell);
        assertThat(order).containsExactlyInAnyOrderElementsOf(all);
        first.merge(order.get(0), 1, Integer::sum);
      }
    }
    assertThat(first).containsOnlyKeys(all).allSatisfy((t, n) -> assertThat(n).isEqualTo(8));
  }

  @Test
  void keepsASubsetAndCopesWithNone() {
    assertThat(RunOrder.of(List.of(Target.DIRECT, Target.NGINX), 0, 1))
        .containsExactly(Target.NGINX, Target.DIRECT);
    assertThat(RunOrder.of(List.of(), 3, 4)).isEmpty();
  }
}
