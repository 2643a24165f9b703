package io.dormouse.gateway.wake;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.gateway.backend.Backend;
import io.dormouse.gateway.testing.MutableClock;
import io.dormouse.gateway.wake.EndpointDispatcher.Dispatch;
import io.dormouse.gateway.wake.EndpointDispatcher.Queued;
import io.dormouse.gateway.wake.EndpointDispatcher.Refusal;
import io.dormouse.gateway.wake.EndpointDispatcher.Refused;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointDispatcherTest {

  private static final Backend A = new Backend("10.0.0.1", 8000, "t");
  private static final Backend B = new Backend("10.0.0.2", 8000, "t");
  private final MutableClock clock = MutableClock.atEpoch();
  private final EndpointDispatcher<Integer> d = new EndpointDispatcher<>(Duration.ofSeconds(5));

  @Test
  void manyRequestsToAHibernatedEndpointWaitAndSignalTheWakeOnce() {
    d.configure(500, 1000, false, null);
    int signals = 0;
    for (int i = 0; i < 200; i++) {
      var s = d.submit(i, clock.instant());
      assertThat(s).isInstanceOf(Queued.class);
      if (((Queued) s).signalWake()) {
        signals++;
      }
    }
    assertThat(signals).isEqualTo(1);
    assertThat(d.waiting()).isEqualTo(200);
    assertThat(d.renewDue(clock.instant().plusSeconds(60))).isFalse(); // the wake write is the one
    var released = d.backendsChanged(List.of(A));
    assertThat(released).hasSize(200).allMatch(a -> a.backend().equals(A));
    assertThat(released.stream().map(EndpointDispatcher.Assignment::waiter))
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 200).boxed().toList());
  }

  @ParameterizedTest(name = "cap {0}, {1} replicas, {2} waiters")
  @CsvSource({"1, 1, 10", "4, 1, 50", "4, 3, 50", "500, 2, 200", "2, 5, 3"})
  void wakingReleasesWaitersNoFasterThanTheReplicasConcurrency(int cap, int replicas, int waiters) {
    d.configure(cap, 10_000, false, null);
    for (int i = 0; i < waiters; i++) {
      d.submit(i, clock.instant());
    }
    List<Backend> backends = new ArrayList<>();
    for (int r = 0; r < replicas; r++) {
      backends.add(new Backend("10.0.0." + r, 8000, "t"));
    }
    Map<Backend, Integer> load = new HashMap<>();
    var released = new ArrayList<>(d.backendsChanged(backends));
    released.forEach(a -> load.merge(a.backend(), 1, Integer::sum));
    assertThat(released).hasSize(Math.min(waiters, cap * replicas));
    assertThat(load.values()).allMatch(n -> n <= cap);
    int served = 0;
    while (served < waiters) { // each completion frees exactly one slot for one waiter
      var a = released.remove(0);
      served++;
      load.merge(a.backend(), -1, Integer::sum);
      var next = d.done(a.backend());
      assertThat(next.size()).isLessThanOrEqualTo(1);
      next.forEach(n -> load.merge(n.backend(), 1, Integer::sum));
      released.addAll(next);
      assertThat(load.values()).allMatch(n -> n <= cap);
    }
    assertThat(d.waiting()).isZero();
    assertThat(d.inFlight()).isZero();
  }

  @Test
  void readyBackendsWithFreeSlotsTakeRequestsAtOnce() {
    d.configure(2, 10, false, null);
    d.backendsChanged(List.of(A, B));
    assertThat(d.submit(1, clock.instant())).isInstanceOf(Dispatch.class);
    assertThat(d.submit(2, clock.instant())).isInstanceOf(Dispatch.class);
    assertThat(d.submit(3, clock.instant())).isInstanceOf(Dispatch.class);
    assertThat(d.submit(4, clock.instant())).isInstanceOf(Dispatch.class);
    var saturated = d.submit(5, clock.instant());
    assertThat(saturated).isEqualTo(new Queued(false)); // saturated is not asleep: no wake signal
  }

  @Test
  void theQueueIsBounded() {
    d.configure(1, 2, false, null);
    d.submit(1, clock.instant());
    d.submit(2, clock.instant());
    assertThat(d.submit(3, clock.instant()))
        .isInstanceOfSatisfying(
            Refused.class, r -> assertThat(r.reason()).isEqualTo(Refusal.QUEUE_FULL));
  }

  @Test
  void aFailedEndpointFailsItsWaitersAndRefusesNewOnes() {
    d.configure(1, 10, false, null);
    d.submit(1, clock.instant());
    d.submit(2, clock.instant());
    assertThat(d.configure(1, 10, true, "no tier can start: image missing")).containsExactly(1, 2);
    assertThat(d.submit(3, clock.instant()))
        .isEqualTo(new Refused(Refusal.ENDPOINT_FAILED, "no tier can start: image missing"));
  }

  @Test
  void aFailedEndpointThatStillHasReadyBackendsServes() {
    d.backendsChanged(List.of(A));
    assertThat(d.configure(1, 10, true, "x")).isEmpty();
    assertThat(d.submit(1, clock.instant())).isEqualTo(new Dispatch(A));
  }

  @Test
  void aWaiterThatLeavesIsNotReleasedAndANewWakeSignalsAgain() {
    d.configure(1, 10, false, null);
    assertThat(d.submit(1, clock.instant())).isEqualTo(new Queued(true));
    assertThat(d.submit(2, clock.instant())).isEqualTo(new Queued(false));
    assertThat(d.withdraw(1)).isTrue();
    assertThat(d.withdraw(1)).isFalse();
    assertThat(d.withdraw(2)).isTrue();
    assertThat(d.submit(3, clock.instant())).isEqualTo(new Queued(true));
    assertThat(d.backendsChanged(List.of(A)))
        .extracting(EndpointDispatcher.Assignment::waiter)
        .containsExactly(3);
  }

  @Test
  void aBackendThatCouldNotBeReachedIsPassedOverWhileAnotherHasRoom() {
    d.configure(2, 100, false, null);
    d.backendsChanged(List.of(A, B));
    Backend first = ((Dispatch) d.submit(1, clock.instant())).backend();
    Backend other = first.equals(A) ? B : A;
    d.unreachable(first, clock.instant());
    // the retry and the next requests go to the other one while it has room
    assertThat(((Dispatch) d.submit(1, clock.instant())).backend()).isEqualTo(other);
    assertThat(((Dispatch) d.submit(2, clock.instant())).backend()).isEqualTo(other);
    // full: the quarantined one is still a candidate rather than making requests wait
    assertThat(((Dispatch) d.submit(3, clock.instant())).backend()).isEqualTo(first);
  }

  @Test
  void aLoneBackendThatRefusedOnceIsTriedAgain() {
    d.configure(4, 100, false, null);
    d.backendsChanged(List.of(A));
    d.submit(1, clock.instant());
    assertThat(d.unreachable(A, clock.instant())).isEmpty();
    assertThat(d.inFlight()).isZero(); // its slot was freed
    assertThat(d.submit(1, clock.instant())).isEqualTo(new Dispatch(A));
  }

  @Test
  void theQuarantineEndsWithTimeOrWhenTheSlicesDropTheBackend() {
    d.configure(2, 100, false, null);
    d.backendsChanged(List.of(A, B));
    d.unreachable(A, clock.instant());
    assertThat(twoRequests()).containsOnly(B);

    clock.advance(EndpointDispatcher.QUARANTINE);
    assertThat(twoRequests()).containsExactlyInAnyOrder(A, B);

    d.unreachable(A, clock.instant());
    d.backendsChanged(List.of(B)); // the slice caught up
    d.backendsChanged(List.of(A, B)); // a new pod at the same address
    assertThat(twoRequests()).containsExactlyInAnyOrder(A, B);
  }

  /** Where two requests go on an idle endpoint; they are finished afterwards. */
  private List<Backend> twoRequests() {
    Backend one = ((Dispatch) d.submit(1, clock.instant())).backend();
    Backend two = ((Dispatch) d.submit(2, clock.instant())).backend();
    d.done(one);
    d.done(two);
    return List.of(one, two);
  }

  @Test
  void aRetryWithNoBackendLeftWaitsAndSignalsTheWake() {
    d.configure(4, 100, false, null);
    d.backendsChanged(List.of(A));
    d.submit(1, clock.instant());
    d.unreachable(A, clock.instant());
    d.backendsChanged(List.of()); // the slice says it is gone
    assertThat(d.submit(1, clock.instant())).isEqualTo(new Queued(true));
  }

  @Test
  void afterAWakeRenewalsResumeWhileRequestsRunAndStopAfterTheLast() {
    d.configure(4, 100, false, null);
    assertThat(d.submit(1, clock.instant())).isEqualTo(new Queued(true));
    assertThat(d.backendsChanged(List.of(A))).hasSize(1); // awake: the wake is over
    clock.advance(Duration.ofSeconds(5));
    assertThat(d.renewDue(clock.instant())).as("in flight after the wake").isTrue();
    assertThat(d.renewDue(clock.instant())).as("just renewed").isFalse();
    clock.advance(Duration.ofSeconds(5));
    assertThat(d.renewDue(clock.instant())).isTrue();
    d.done(A);
    assertThat(d.inFlight()).isZero();
    clock.advance(Duration.ofSeconds(5));
    assertThat(d.renewDue(clock.instant())).as("nothing in flight, nothing new").isFalse();
    clock.advance(Duration.ofMinutes(30));
    assertThat(d.renewDue(clock.instant())).isFalse();
  }

  @Test
  void afterSeveralRequestsOnSeveralBackendsAllFinishNothingIsInFlight() {
    d.configure(4, 100, false, null);
    d.backendsChanged(List.of(A, B));
    Backend first = ((Dispatch) d.submit(1, clock.instant())).backend();
    Backend second = ((Dispatch) d.submit(2, clock.instant())).backend();
    Backend third = ((Dispatch) d.submit(3, clock.instant())).backend();
    assertThat(d.inFlight()).isEqualTo(3);
    d.done(first);
    d.done(second);
    assertThat(d.inFlight()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(5));
    assertThat(d.renewDue(clock.instant())).as("one still in flight").isTrue();
    d.done(third);
    d.done(third); // a stray completion frees nothing that was not taken
    assertThat(d.inFlight()).isZero();
    clock.advance(Duration.ofSeconds(5));
    assertThat(d.renewDue(clock.instant())).as("all finished: the endpoint may go idle").isFalse();
  }

  @Test
  void theNextWakeIsSignalledLikeTheFirst() {
    d.configure(4, 100, false, null);
    assertThat(d.submit(1, clock.instant())).isEqualTo(new Queued(true));
    d.backendsChanged(List.of(A));
    d.done(A);
    d.backendsChanged(List.of()); // it hibernated
    clock.advance(Duration.ofHours(1));
    assertThat(d.submit(2, clock.instant())).isEqualTo(new Queued(true));
    assertThat(d.submit(3, clock.instant())).isEqualTo(new Queued(false));
    assertThat(d.renewDue(clock.instant().plusSeconds(60)))
        .as("the wake write is the one")
        .isFalse();
  }

  @Test
  void afterAFailedWakeTheQueueIsEmptyAndTheNextRequestSignalsANewWake() {
    d.configure(4, 100, false, null);
    assertThat(d.submit(1, clock.instant())).isEqualTo(new Queued(true));
    assertThat(d.submit(2, clock.instant())).isEqualTo(new Queued(false));
    assertThat(d.configure(4, 100, true, "no tier has room")).containsExactly(1, 2);
    assertThat(d.waiting()).isZero();
    assertThat(d.withdraw(1)).as("failed, not waiting").isFalse();
    d.configure(4, 100, false, null); // the operator tries again (the spec changed)
    assertThat(d.submit(3, clock.instant())).isEqualTo(new Queued(true));
    assertThat(d.backendsChanged(List.of(A)))
        .extracting(EndpointDispatcher.Assignment::waiter)
        .containsExactly(3);
  }

  @Test
  void requestsServedWithoutAWakeStillCountAsActivity() {
    d.configure(4, 100, false, null);
    d.backendsChanged(List.of(A));
    assertThat(d.hasReadyBackend()).isTrue();
    d.done(((Dispatch) d.submit(1, clock.instant())).backend());
    clock.advance(Duration.ofSeconds(5));
    assertThat(d.renewDue(clock.instant())).as("a request came since the last write").isTrue();
    clock.advance(Duration.ofSeconds(5));
    assertThat(d.renewDue(clock.instant())).as("nothing since").isFalse();
  }

  @Test
  void aSlotFreedByAnUnreachableBackendGoesToTheNextWaiter() {
    d.configure(1, 100, false, null);
    d.backendsChanged(List.of(A));
    d.submit(1, clock.instant());
    assertThat(d.submit(2, clock.instant())).isEqualTo(new Queued(false));
    assertThat(d.unreachable(A, clock.instant()))
        .extracting(EndpointDispatcher.Assignment::waiter)
        .containsExactly(2);
  }

  @Test
  void shutdownTakesEveryWaiterAndLeavesNone() {
    d.configure(1, 100, false, null);
    assertThat(d.hasReadyBackend()).isFalse();
    d.submit(1, clock.instant());
    d.submit(2, clock.instant());
    assertThat(d.drainAll()).containsExactly(1, 2);
    assertThat(d.waiting()).isZero();
    assertThat(d.drainAll()).isEmpty();
  }
}
