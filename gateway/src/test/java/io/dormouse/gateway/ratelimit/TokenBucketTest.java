package io.dormouse.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.gateway.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenBucketTest {

  private static long nanos(MutableClock clock) {
    return NanoClock.of(clock).nanos();
  }

  @ParameterizedTest(name = "limit {0}/s, offered 3x, {1}")
  @CsvSource({
    "1, even",
    "5, even",
    "50, even",
    "100, even",
    "1000, even",
    "5, bursts",
    "100, bursts",
    "1000, bursts"
  })
  void underThreeTimesTheLimitTheAdmittedRateIsTheLimit(int limit, String pattern) {
    MutableClock clock = MutableClock.atEpoch();
    TokenBucket bucket = new TokenBucket(limit, ProjectLimiter.capacity(limit), nanos(clock));
    int seconds = 120;
    int offeredPerSecond = 3 * limit;
    long admitted = 0;
    for (int s = 0; s < seconds; s++) {
      for (int i = 0; i < offeredPerSecond; i++) {
        if (bucket.tryTake(1, nanos(clock))) {
          admitted++;
        }
        if (pattern.equals("even")) {
          clock.advance(Duration.ofNanos(1_000_000_000L / offeredPerSecond));
        }
      }
      if (pattern.equals("bursts")) {
        clock.advance(Duration.ofSeconds(1));
      }
    }
    double rate = admitted / (double) seconds;
    assertThat(rate).isBetween(limit * 0.95, limit * 1.05);
  }

  @Test
  void aRefusedTakeTakesNothingAndSaysHowLongToWait() {
    MutableClock clock = MutableClock.atEpoch();
    TokenBucket bucket = new TokenBucket(10, 10, nanos(clock));
    for (int i = 0; i < 10; i++) {
      assertThat(bucket.tryTake(1, nanos(clock))).isTrue();
    }
    assertThat(bucket.tryTake(1, nanos(clock))).isFalse();
    assertThat(bucket.waitFor(1, nanos(clock))).isEqualTo(Duration.ofMillis(100).toNanos());
    assertThat(bucket.untilFull(nanos(clock))).isEqualTo(Duration.ofSeconds(1).toNanos());
    clock.advance(Duration.ofMillis(100));
    assertThat(bucket.tryTake(1, nanos(clock))).isTrue();
  }

  @Test
  void aCostBeyondCapacityIsAdmittedFromAFullBucketAndRepaidBeforeTheNext() {
    MutableClock clock = MutableClock.atEpoch();
    TokenBucket bucket = new TokenBucket(100, 100, nanos(clock));
    assertThat(bucket.tryTake(250, nanos(clock))).isTrue();
    assertThat(bucket.level(nanos(clock))).isEqualTo(-150);
    clock.advance(Duration.ofMillis(2400));
    assertThat(bucket.tryTake(100, nanos(clock))).isFalse();
    clock.advance(Duration.ofMillis(100));
    assertThat(bucket.tryTake(100, nanos(clock))).isTrue();
  }

  @Test
  void aNewRateAppliesFromNowAndNeverRaisesTheLevel() {
    MutableClock clock = MutableClock.atEpoch();
    TokenBucket bucket = new TokenBucket(100, 100, nanos(clock));
    bucket.reconfigure(50, 50, nanos(clock));
    assertThat(bucket.level(nanos(clock))).isEqualTo(50);
    bucket.tryTake(50, nanos(clock));
    clock.advance(Duration.ofMillis(500));
    assertThat(bucket.level(nanos(clock))).isEqualTo(25);
  }

  @ParameterizedTest(name = "{0} taken from 10 at 10/s: {1} waits {2} ms, full in {3} ms")
  @CsvSource({
    "0,   1,  0,    0",
    "6,   1,  0,    600",
    "6,   5,  100,  600",
    "9.5, 1,  50,   950",
    "10,  1,  100,  1000",
    "25,  1,  1600, 2500", // in debt: the debt first, then the cost
    "25,  50, 2500, 2500" // a cost beyond the bucket waits for a full bucket only
  })
  void waitsAreCountedFromWhereverTheLevelStands(
      double taken, double cost, long waitMillis, long fullMillis) {
    MutableClock clock = MutableClock.atEpoch();
    TokenBucket bucket = new TokenBucket(10, 10, nanos(clock));
    assertThat(bucket.tryTake(taken, nanos(clock))).isTrue();
    assertThat(bucket.level(nanos(clock))).isEqualTo(10 - taken);
    assertThat(Duration.ofNanos(bucket.waitFor(cost, nanos(clock))).toMillis())
        .isEqualTo(waitMillis);
    assertThat(Duration.ofNanos(bucket.untilFull(nanos(clock))).toMillis()).isEqualTo(fullMillis);
    clock.advance(Duration.ofMillis(waitMillis));
    assertThat(bucket.canTake(cost, nanos(clock))).isTrue();
  }

  @Test
  void refundsNeverFillBeyondCapacityAndNegativeRefundsTake() {
    MutableClock clock = MutableClock.atEpoch();
    TokenBucket bucket = new TokenBucket(10, 10, nanos(clock));
    bucket.tryTake(4, nanos(clock));
    bucket.refund(100, nanos(clock));
    assertThat(bucket.level(nanos(clock))).isEqualTo(10);
    bucket.refund(-15, nanos(clock));
    assertThat(bucket.level(nanos(clock))).isEqualTo(-5);
    assertThat(bucket.canTake(1, nanos(clock))).isFalse();
    clock.advance(Duration.ofMillis(600));
    assertThat(bucket.level(nanos(clock))).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(bucket.canTake(1, nanos(clock))).isTrue();
    assertThat(bucket.capacity()).isEqualTo(10);
  }

  @Test
  void timeGoingBackwardsNeitherRefillsNorDrains() {
    MutableClock clock = MutableClock.atEpoch();
    TokenBucket bucket = new TokenBucket(10, 10, nanos(clock));
    bucket.tryTake(5, nanos(clock));
    assertThat(bucket.level(nanos(clock) - 10_000_000_000L)).isEqualTo(5);
    clock.advance(Duration.ofMillis(100));
    assertThat(bucket.level(nanos(clock))).isCloseTo(6, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aCostAMillionthShortIsAvailableAndSoIsABucketAMillionthShortOfFull() {
    MutableClock clock = MutableClock.atEpoch();
    TokenBucket bucket = new TokenBucket(10, 10, nanos(clock));
    bucket.tryTake(5, nanos(clock));
    bucket.refund(-1e-6, nanos(clock)); // refill arithmetic in doubles loses such crumbs
    assertThat(bucket.canTake(5, nanos(clock))).isTrue();
    assertThat(bucket.canTake(5.001, nanos(clock))).isFalse();

    TokenBucket almostFull = new TokenBucket(10, 10, nanos(clock));
    almostFull.refund(-1e-6, nanos(clock));
    assertThat(almostFull.canTake(15, nanos(clock))).as("full: beyond capacity").isTrue();
  }

  @Test
  void everyQuestionCountsTheTimeSinceTheLastOne() {
    MutableClock clock = MutableClock.atEpoch();
    TokenBucket waits = new TokenBucket(10, 10, nanos(clock));
    waits.tryTake(10, nanos(clock));
    clock.advance(Duration.ofMillis(500));
    assertThat(Duration.ofNanos(waits.waitFor(10, nanos(clock))).toMillis()).isEqualTo(500);

    TokenBucket fills = new TokenBucket(10, 10, nanos(clock));
    fills.tryTake(10, nanos(clock));
    clock.advance(Duration.ofMillis(500));
    assertThat(Duration.ofNanos(fills.untilFull(nanos(clock))).toMillis()).isEqualTo(500);

    // a refund lands on the refilled level, so the cap applies to what is there now
    TokenBucket refunds = new TokenBucket(10, 10, nanos(clock));
    refunds.tryTake(2, nanos(clock));
    clock.advance(Duration.ofMillis(500)); // refills to the cap of 10
    refunds.refund(-5, nanos(clock));
    assertThat(refunds.level(nanos(clock))).isEqualTo(5);

    // the time before a new rate was earned at the old one
    TokenBucket rerated = new TokenBucket(10, 10, nanos(clock));
    rerated.tryTake(10, nanos(clock));
    clock.advance(Duration.ofMillis(500));
    rerated.reconfigure(100, 100, nanos(clock));
    assertThat(rerated.level(nanos(clock))).isEqualTo(5);
  }
}
