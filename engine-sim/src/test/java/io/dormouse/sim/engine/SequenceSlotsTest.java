package io.dormouse.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceSlotsTest {

  private final List<String> started = new ArrayList<>();
  private final SequenceSlots slots = new SequenceSlots(2);

  @Test
  void beyondCapacitySequencesWaitInArrivalOrder() {
    SequenceSlots.Ticket a = slots.acquire(() -> started.add("a"));
    slots.acquire(() -> started.add("b"));
    slots.acquire(() -> started.add("c"));
    slots.acquire(() -> started.add("d"));

    assertThat(started).containsExactly("a", "b");
    assertThat(slots.running()).isEqualTo(2);
    assertThat(slots.waiting()).isEqualTo(2);

    a.release();

    assertThat(started).containsExactly("a", "b", "c");
    assertThat(slots.running()).isEqualTo(2);
    assertThat(slots.waiting()).isEqualTo(1);
  }

  @Test
  void aWaiterThatLeavesGivesUpItsPlaceAndReleaseIsIdempotent() {
    SequenceSlots.Ticket a = slots.acquire(() -> started.add("a"));
    slots.acquire(() -> started.add("b"));
    SequenceSlots.Ticket c = slots.acquire(() -> started.add("c"));
    slots.acquire(() -> started.add("d"));

    c.release();
    a.release();
    a.release();

    assertThat(started).containsExactly("a", "b", "d");
    assertThat(slots.running()).isEqualTo(2);
    assertThat(slots.waiting()).isZero();
  }
}
