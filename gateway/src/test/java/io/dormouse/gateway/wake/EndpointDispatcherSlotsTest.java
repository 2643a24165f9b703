package io.dormouse.gateway.wake;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.gateway.backend.Backend;
import io.dormouse.gateway.testing.MutableClock;
import io.dormouse.gateway.wake.EndpointDispatcher.Dispatch;
import io.dormouse.gateway.wake.EndpointDispatcher.Queued;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** This gateway's share of each engine replica's slots, when other gateways share them. */
class EndpointDispatcherSlotsTest {

  private static final Backend A = new Backend("10.0.0.1", 8000, "t");
  private static final Backend B = new Backend("10.0.0.2", 8000, "t");
  private final MutableClock clock = MutableClock.atEpoch();
  private final EndpointDispatcher<Integer> d = new EndpointDispatcher<>(Duration.ofSeconds(5));

  @Test
  void aShareBelowTheCapHoldsRequestsBackAndALargerOneReleasesThem() {
    d.configure(4, 100, false, null);
    d.backendsChanged(List.of(A));
    assertThat(d.slots(Map.of(A.id(), 1))).isEmpty();
    assertThat(d.submit(1, clock.instant())).isInstanceOf(Dispatch.class);
    assertThat(d.submit(2, clock.instant())).isInstanceOf(Queued.class);
    assertThat(d.submit(3, clock.instant())).isInstanceOf(Queued.class);
    assertThat(d.outstanding()).containsEntry(A.id(), 1);

    var released = d.slots(Map.of(A.id(), 3));
    assertThat(released).extracting(EndpointDispatcher.Assignment::waiter).containsExactly(2, 3);
    assertThat(d.outstanding()).containsEntry(A.id(), 3);
    assertThat(d.waiting()).isZero();
  }

  @Test
  void aShareNeverRaisesTheEndpointsOwnCap() {
    d.configure(2, 100, false, null);
    d.backendsChanged(List.of(A));
    d.slots(Map.of(A.id(), 10));
    assertThat(d.submit(1, clock.instant())).isInstanceOf(Dispatch.class);
    assertThat(d.submit(2, clock.instant())).isInstanceOf(Dispatch.class);
    assertThat(d.submit(3, clock.instant())).isInstanceOf(Queued.class);
  }

  @Test
  void aBackendMissingFromTheSharesGetsNoSlotAndNoSharesMeansTheWholeCap() {
    d.configure(2, 100, false, null);
    d.backendsChanged(List.of(A, B));
    d.slots(Map.of(A.id(), 1));
    var first = d.submit(1, clock.instant());
    assertThat(first).isEqualTo(new Dispatch(A));
    assertThat(d.submit(2, clock.instant())).isInstanceOf(Queued.class); // B has no share
    var released = d.slots(null);
    assertThat(released).extracting(EndpointDispatcher.Assignment::waiter).containsExactly(2);
    assertThat(d.submit(3, clock.instant())).isInstanceOf(Dispatch.class);
    assertThat(d.submit(4, clock.instant())).isInstanceOf(Dispatch.class);
    assertThat(d.submit(5, clock.instant())).isInstanceOf(Queued.class); // 2 + 2 in flight
  }

  @Test
  void itTellsWhatPeersNeed() {
    d.configure(7, 100, false, null);
    d.backendsChanged(List.of(A, B));
    assertThat(d.capPerReplica()).isEqualTo(7);
    assertThat(d.serving()).containsExactly(A, B);
    assertThat(d.outstanding()).isEmpty();
    d.submit(1, clock.instant());
    assertThat(d.outstanding()).hasSize(1).containsValue(1);
    assertThat(d.inFlight()).isEqualTo(1);
  }
}
