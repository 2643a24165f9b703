package io.dormouse.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void idsOfOneProcessNeverRepeat() {
    RequestIds ids = new RequestIds(42);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen.add(ids.next())).isTrue();
    }
  }

  @Test
  void twoProcessesDrawDifferentPrefixes() {
    String a = new RequestIds().next();
    String b = new RequestIds().next();
    assertThat(a).isNotEqualTo(b);
    assertThat(a.length()).isLessThanOrEqualTo(128); // the usage table's bound
  }

  @Test
  void theSameSeedAndCountGiveTheSameIdSoOnlyTheSeedKeepsProcessesApart() {
    assertThat(new RequestIds(7).next()).isEqualTo(new RequestIds(7).next());
    assertThat(new RequestIds(7).next()).isNotEqualTo(new RequestIds(8).next());
  }
}
