package io.dormouse.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.gateway.testing.MutableClock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProjectLimiterTest {

  private final MutableClock clock = MutableClock.atEpoch();
  private final ProjectLimiter limiter = new ProjectLimiter(clock);

  @ParameterizedTest(name = "tokens {0}/s, reserve {1}, used up to {2}")
  @CsvSource({
    "1000, 300, 300", // engines use at most what was reserved
    "1000, 300, 150",
    "10000, 2000, 2000",
    "1000, 300, 600", // an engine that ignores max_tokens: debt keeps the long run within limit
  })
  void tokenReservationKeepsAdmittedTokensWithinTheLimit(long limit, long reserve, long maxUsed) {
    Random random = new Random(7);
    ProjectLimiter.Limits limits = new ProjectLimiter.Limits(1_000_000, limit);
    int seconds = 120;
    long used = 0;
    for (int tick = 0; tick < seconds * 100; tick++) {
      for (int i = 0; i < 3; i++) { // offered: far above the token limit
        Admission a = limiter.admit("p", "ns/ep", limits, reserve);
        if (a.admitted()) {
          long actual = 1 + random.nextInt((int) maxUsed);
          limiter.settle("p", "ns/ep", a.reservedTokens(), actual);
          used += actual;
        }
      }
      clock.advance(Duration.ofMillis(10));
    }
    double capacity = ProjectLimiter.capacity(limit);
    assertThat(used).isLessThanOrEqualTo((long) (limit * seconds + capacity + maxUsed));
    assertThat(used / (double) seconds).isGreaterThan(limit * 0.95);
  }

  @Test
  void eachGatewayReplicaEnforcesItsShare() {
    ProjectLimiter.Limits share = new ProjectLimiter.Limits(30, 3000).share(3);
    int admitted = 0;
    for (int i = 0; i < 100; i++) {
      if (limiter.admit("p", "ns/ep", share, 1).admitted()) {
        admitted++;
      }
    }
    assertThat(admitted).isEqualTo(10);
    assertThat(new ProjectLimiter.Limits(30, 3000).share(0))
        .isEqualTo(new ProjectLimiter.Limits(30, 3000));
  }

  @Test
  void eachGatewayReplicaEnforcesItsShareOfTheTokenLimitToo() {
    ProjectLimiter.Limits share = new ProjectLimiter.Limits(30, 3000).share(3);
    assertThat(share).isEqualTo(new ProjectLimiter.Limits(10, 1000));
    Admission first = limiter.admit("p", "ns/ep", share, 600);
    assertThat(first.admitted()).isTrue();
    assertThat(first.state().headers()).containsEntry("x-ratelimit-limit-tokens", "1000");
    Admission second = limiter.admit("p", "ns/ep", share, 600);
    assertThat(second.refusedBy()).isEqualTo(LimitKind.tokens);
    assertThat(second.retryAfter().toMillis()).isEqualTo(200); // 400 left, at 1000/s
  }

  @Test
  void aRefusalFromAPartlyFullBucketWaitsOnlyForWhatIsMissing() {
    ProjectLimiter.Limits limits = new ProjectLimiter.Limits(10, 100);
    assertThat(limiter.admit("p", "ns/ep", limits, 40).admitted()).isTrue(); // 60 tokens left
    Admission refused = limiter.admit("p", "ns/ep", limits, 80);
    assertThat(refused.refusedBy()).isEqualTo(LimitKind.tokens);
    assertThat(refused.retryAfter().toMillis()).isEqualTo(200); // 20 missing at 100/s
    assertThat(refused.reservedTokens()).isZero();
    RateLimitState state = refused.state();
    assertThat(state.remainingTokens()).isEqualTo(60);
    // the refusing limit's reset is the wait until this request fits, as retry-after-ms says
    assertThat(state.resetTokens().toMillis()).isEqualTo(200);
    assertThat(state.remainingRequests()).isEqualTo(9);
    assertThat(state.resetRequests().toMillis()).isEqualTo(100);
    assertThat(state.headers())
        .containsEntry("x-ratelimit-remaining-tokens", "60")
        .containsEntry("x-ratelimit-reset-tokens", "200ms")
        .containsEntry("x-ratelimit-remaining-requests", "9")
        .containsEntry("x-ratelimit-reset-requests", "100ms");
    clock.advance(Duration.ofMillis(199));
    assertThat(limiter.admit("p", "ns/ep", limits, 80).admitted()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.admit("p", "ns/ep", limits, 80).admitted()).isTrue();
  }

  @Test
  void aBucketInDebtRefusesUntilTheDebtIsRepaidAndShowsNoNegativeRemainder() {
    ProjectLimiter.Limits limits = new ProjectLimiter.Limits(10, 100);
    Admission big = limiter.admit("p", "ns/ep", limits, 250); // from a full bucket: 150 in debt
    assertThat(big.admitted()).isTrue();
    assertThat(big.reservedTokens()).isEqualTo(250);
    assertThat(big.state().remainingTokens()).isZero();
    assertThat(big.state().resetTokens().toMillis()).isEqualTo(2500);
    Admission refused = limiter.admit("p", "ns/ep", limits, 10);
    assertThat(refused.refusedBy()).isEqualTo(LimitKind.tokens);
    assertThat(refused.retryAfter().toMillis()).isEqualTo(1600); // 150 + 10 at 100/s
    assertThat(refused.state().headers())
        .containsEntry("x-ratelimit-remaining-tokens", "0")
        .containsEntry("x-ratelimit-reset-tokens", "1.6s"); // the refusal's wait
    // a cost beyond the bucket waits only for a full bucket, not for more than it holds
    assertThat(limiter.admit("p", "ns/ep", limits, 500).retryAfter().toMillis()).isEqualTo(2500);
  }

  @Test
  void settlingAboveTheReservationTakesTheDifference() {
    ProjectLimiter.Limits limits = new ProjectLimiter.Limits(10, 100);
    Admission a = limiter.admit("p", "ns/ep", limits, 50);
    limiter.settle("p", "ns/ep", a.reservedTokens(), 80); // the engine used 30 more than reserved
    Admission refused = limiter.admit("p", "ns/ep", limits, 30);
    assertThat(refused.refusedBy()).isEqualTo(LimitKind.tokens);
    assertThat(refused.state().remainingTokens()).isEqualTo(20);
    limiter.settle("p", "other/ep", 100, 0); // a bucket never used: nothing to settle
    assertThat(limiter.admit("p", "ns/ep", limits, 20).admitted()).isTrue();
  }

  @Test
  void aNewLimitAppliesToAnExistingBucket() {
    ProjectLimiter.Limits one = new ProjectLimiter.Limits(1, 1000);
    assertThat(limiter.admit("p", "ns/ep", one, 1).admitted()).isTrue();
    assertThat(limiter.admit("p", "ns/ep", one, 1).admitted()).isFalse();
    ProjectLimiter.Limits ten = new ProjectLimiter.Limits(10, 1000);
    Admission raised = limiter.admit("p", "ns/ep", ten, 1);
    assertThat(raised.admitted()).as("no credit for the past: the bucket stays empty").isFalse();
    assertThat(raised.state().limitRequests()).isEqualTo(10);
    assertThat(raised.retryAfter().toMillis()).isEqualTo(100);
    Admission tokens = limiter.admit("p", "ns/ep", new ProjectLimiter.Limits(10, 50), 1);
    assertThat(tokens.state().limitTokens()).isEqualTo(50);
    assertThat(tokens.state().remainingTokens()).isEqualTo(50); // capped at the new bucket
  }

  @Test
  void projectsAndEndpointsHaveTheirOwnBuckets() {
    ProjectLimiter.Limits one = new ProjectLimiter.Limits(1, 1000);
    assertThat(limiter.admit("p", "ns/a", one, 1).admitted()).isTrue();
    assertThat(limiter.admit("p", "ns/a", one, 1).admitted()).isFalse();
    assertThat(limiter.admit("q", "ns/a", one, 1).admitted()).isTrue();
    assertThat(limiter.admit("p", "ns/b", one, 1).admitted()).isTrue();
  }

  @Test
  void aRefusalSaysWhichLimitAndWhenToRetryAndTakesNothing() {
    ProjectLimiter.Limits limits = new ProjectLimiter.Limits(10, 100);
    Admission first = limiter.admit("p", "ns/ep", limits, 100);
    assertThat(first.admitted()).isTrue();
    Admission second = limiter.admit("p", "ns/ep", limits, 50);
    assertThat(second.refusedBy()).isEqualTo(LimitKind.tokens);
    assertThat(second.retryAfter().toMillis()).isEqualTo(500);
    assertThat(second.state().remainingRequests()).isEqualTo(9); // the refused one took no request
    assertThat(second.state().headers())
        .containsEntry("x-ratelimit-limit-requests", "10")
        .containsEntry("x-ratelimit-remaining-requests", "9")
        .containsEntry("x-ratelimit-limit-tokens", "100")
        .containsEntry("x-ratelimit-remaining-tokens", "0")
        .containsEntry("x-ratelimit-reset-tokens", "500ms")
        .containsKey("x-ratelimit-reset-requests");
  }

  /**
   * The 429 said {@code x-ratelimit-reset-requests: 993ms} beside {@code retry-after-ms:
   * 3}: two stories. The refusing limit's reset and the retry wait are now one number.
   */
  @ParameterizedTest(name = "{0} r/s, {1} tok/s, {2} tokens, {3} ms later: refused by {4}")
  @CsvSource({
    "100, 100000, 1, 7, requests", // 100 taken, 7 ms in: 0.7 of a request back
    "3, 100000, 1, 0, requests", // 1/3 s per request: 333.33 ms, rounded up
    "100, 1000, 700, 0, tokens",
    "1000, 300, 299, 1, tokens", // a fraction of a millisecond short
    "0.5, 100000, 1, 0, requests" // limits below one a second: waits beyond a second
  })
  void aRefusalTellsOneWaitInRetryAfterAndTheRefusingLimitsReset(
      double rps, double tps, long tokens, long laterMs, LimitKind refusing) {
    ProjectLimiter.Limits limits = new ProjectLimiter.Limits(rps, tps);
    Admission last;
    do {
      last = limiter.admit("p", "ns/ep", limits, tokens);
    } while (last.admitted());
    clock.advance(Duration.ofMillis(laterMs));
    Admission refusal = limiter.admit("p", "ns/ep", limits, tokens);

    assertThat(refusal.refusedBy()).isEqualTo(refusing);
    long ms = refusal.retryAfter().toMillis();
    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofMillis(ms)).isPositive();
    String reset = refusing == LimitKind.requests ? "requests" : "tokens";
    assertThat(refusal.state().headers().get("x-ratelimit-reset-" + reset))
        .isEqualTo(RateLimitState.reset(Duration.ofMillis(ms)));
    assertThat(refusal.state().headers().get("x-ratelimit-remaining-" + reset))
        .as("a refused request finds too little left")
        .satisfies(
            left ->
                assertThat(Long.parseLong(left))
                    .isLessThan(refusing == LimitKind.requests ? 1 : tokens));
  }

  @Test
  void settlingGivesBackWhatWasNotUsed() {
    ProjectLimiter.Limits limits = new ProjectLimiter.Limits(10, 100);
    Admission a = limiter.admit("p", "ns/ep", limits, 100);
    limiter.settle("p", "ns/ep", a.reservedTokens(), 20);
    assertThat(limiter.admit("p", "ns/ep", limits, 80).admitted()).isTrue();
    assertThat(limiter.admit("p", "ns/ep", limits, 1).admitted()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0ms",
    "250, 250ms",
    "999, 999ms",
    "1000, 1s",
    "1001, 1.001s",
    "1500, 1.5s",
    "59000, 59s",
    "60000, 1m0s",
    "61250, 1m1.25s",
    "360000, 6m0s"
  })
  void resetsAreSpelledLikeOpenAi(long millis, String spelled) {
    assertThat(RateLimitState.reset(Duration.ofMillis(millis))).isEqualTo(spelled);
  }
}
