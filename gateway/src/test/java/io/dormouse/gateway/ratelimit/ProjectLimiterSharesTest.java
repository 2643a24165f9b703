package io.dormouse.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dormouse.gateway.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** This replica's share of a cluster-wide limit, and the demand it tells its peers. */
class ProjectLimiterSharesTest {

  private final MutableClock clock = MutableClock.atEpoch();
  private final ProjectLimiter limiter = new ProjectLimiter(clock);
  private final ProjectLimiter.Limits limits = new ProjectLimiter.Limits(30, 3000);
  private final ProjectLimiter.Key key = new ProjectLimiter.Key("p", "ns/ep");

  private int admitted(int tries) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      if (limiter.admit("p", "ns/ep", limits, 1).admitted()) {
        n++;
      }
    }
    return n;
  }

  @Test
  void withoutPeersEachReplicaTakesAnEvenSplitButTheHeadersStateTheClusterLimit() {
    limiter.defaultShare(3);
    Admission first = limiter.admit("p", "ns/ep", limits, 1);
    assertThat(first.state().limitRequests()).isEqualTo(30);
    assertThat(first.state().limitTokens()).isEqualTo(3000);
    assertThat(1 + admitted(100)).isEqualTo(10);
  }

  @Test
  void withoutPeersEachReplicaTakesAnEvenSplitOfTheTokenLimitToo() {
    limiter.defaultShare(3); // 1000 tokens/s here of the cluster's 3000
    Admission first = limiter.admit("p", "ns/ep", limits, 600);
    assertThat(first.admitted()).isTrue();
    assertThat(first.state().limitTokens()).isEqualTo(3000);
    assertThat(first.state().remainingTokens()).isEqualTo(400);
    Admission second = limiter.admit("p", "ns/ep", limits, 600);
    assertThat(second.refusedBy()).isEqualTo(LimitKind.tokens);
    assertThat(second.retryAfterNanos()).isEqualTo(200_000_000L); // 200 missing, at 1000/s
  }

  @Test
  void aShareFromThePeersSetsTheBucketsAndRemainingCountsThePeers() {
    assertThat(admitted(1)).isEqualTo(1); // the key exists now
    limiter.share(key, 0.5, 0.25, 7, 70);
    Admission a = limiter.admit("p", "ns/ep", limits, 1);
    assertThat(a.admitted()).isTrue();
    // the level is cut to the new capacity: 15 - 1 here, 7 there
    assertThat(a.state().remainingRequests()).isEqualTo(14 + 7);
    assertThat(a.state().remainingTokens()).isEqualTo(749 + 70); // 750 - 1, 70 there
    assertThat(1 + admitted(100)).isEqualTo(15);
    clock.advance(Duration.ofSeconds(1));
    assertThat(admitted(100)).isEqualTo(15); // refilled at half of 30/s
  }

  @Test
  void forgettingThePeersSharesFallsBackToTheDefault() {
    admitted(1);
    limiter.share(key, 0.1, 0.1, 5, 5);
    limiter.forgetShares();
    limiter.defaultShare(2);
    clock.advance(Duration.ofSeconds(10));
    // the ten seconds were earned at the old rate, up to its capacity of 3; no peers counted
    Admission a = limiter.admit("p", "ns/ep", limits, 1);
    assertThat(a.state().remainingRequests()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(1));
    assertThat(admitted(100)).isEqualTo(15); // half of 30/s from now on
  }

  @Test
  void aShareForAKeyNeverAskedForMakesNoBucket() {
    limiter.share(new ProjectLimiter.Key("q", "ns/ep"), 0.5, 0.5, 1, 1);
    assertThat(limiter.demand()).isEmpty();
  }

  @Test
  void demandIsWhatWasAskedPerSecondSmoothedAndForgetsOverTime() {
    limiter.demand(); // nothing yet
    for (int i = 0; i < 40; i++) {
      limiter.admit("p", "ns/ep", limits, 25); // 30 admitted, 10 refused: all asked for
    }
    clock.advance(Duration.ofSeconds(1));
    List<ProjectLimiter.Demand> first = limiter.demand();
    assertThat(first).hasSize(1);
    ProjectLimiter.Demand d = first.get(0);
    double keep = Math.exp(-1 / 0.5);
    assertThat(d.key()).isEqualTo(key);
    assertThat(d.limits()).isEqualTo(limits);
    assertThat(d.requests()).isCloseTo((1 - keep) * 40, within(1e-6));
    assertThat(d.tokens()).isCloseTo((1 - keep) * 40 * 25, within(1e-3));
    assertThat(d.remainingRequests()).isEqualTo(30); // refilled within the second
    assertThat(d.remainingTokens()).isBetween(0L, 3000L);

    clock.advance(Duration.ofSeconds(1));
    ProjectLimiter.Demand later = limiter.demand().get(0);
    assertThat(later.requests()).isCloseTo(keep * d.requests(), within(1e-6));
    assertThat(later.tokens()).isCloseTo(keep * d.tokens(), within(1e-3));
  }

  @Test
  void demandAskedTwiceAtOneInstantChangesNothing() {
    limiter.admit("p", "ns/ep", limits, 1);
    clock.advance(Duration.ofMillis(500));
    double once = limiter.demand().get(0).requests();
    assertThat(limiter.demand().get(0).requests()).isEqualTo(once);
    assertThat(once).isPositive();
  }

  @Test
  void aRefusalFromAShareTellsTheWaitAtTheSharesRate() {
    admitted(1);
    limiter.share(key, 0.1, 1.0, 0, 0); // 3 requests/s here
    admitted(10);
    Admission refused = limiter.admit("p", "ns/ep", limits, 1);
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.refusedBy()).isEqualTo(LimitKind.requests);
    assertThat(refused.retryAfterNanos()).isEqualTo(334_000_000L); // 1/3 s, whole ms, rounded up
  }

  @Test
  void nanoClocksCountForward() {
    NanoClock fromClock = NanoClock.of(clock);
    long before = fromClock.nanos();
    clock.advance(Duration.ofMillis(3));
    assertThat(fromClock.nanos() - before).isEqualTo(3_000_000L);
    NanoClock system = NanoClock.system();
    long a = system.nanos();
    assertThat(system.nanos()).isGreaterThanOrEqualTo(a);
  }
}
