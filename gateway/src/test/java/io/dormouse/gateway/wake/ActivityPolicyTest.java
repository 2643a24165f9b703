package io.dormouse.gateway.wake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ActivityPolicyTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final ActivityPolicy policy = new ActivityPolicy(Duration.ofSeconds(5));

  private static Instant at(double seconds) {
    return T0.plusMillis((long) (seconds * 1000));
  }

  @Test
  void renewsAtMostEveryFewSecondsWhileRequestsArrive() {
    // time, activity before?, in flight, expected renewal
    Object[][] table = {
      {0.0, true, false, true}, // first activity: write
      {1.0, true, false, false}, // within 5 s of the last write
      {4.9, true, true, false},
      {5.0, false, false, true}, // activity came after the write at 0.0
      {10.0, false, false, false}, // nothing new, nothing in flight: idle time runs
      {20.0, false, true, true}, // a long stream in flight keeps it fresh
      {22.0, false, true, false},
      {25.0, false, true, true},
      {40.0, false, false, false},
    };
    for (Object[] row : table) {
      double t = (double) row[0];
      if ((boolean) row[1]) {
        policy.activity(at(t));
      }
      assertThat(policy.renewDue(at(t), (boolean) row[2])).as("at %s s", t).isEqualTo(row[3]);
    }
  }

  @Test
  void aWakeWritesOnceAndSuppressesRenewalsUntilItIsOver() {
    policy.activity(at(0));
    assertThat(policy.wakeNeeded(at(0))).isTrue();
    policy.activity(at(1));
    assertThat(policy.wakeNeeded(at(1))).isFalse();
    assertThat(policy.renewDue(at(30), false)).isFalse();
    policy.wakeOver();
    assertThat(policy.renewDue(at(31), true)).isTrue();
    assertThat(policy.wakeNeeded(at(32))).isTrue();
  }
}
