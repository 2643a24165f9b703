package io.dormouse.sim.engine;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * vLLM's scheduler in miniature: at most {@code max-num-seqs} sequences run, the rest wait in
 * arrival order. Confined to one event loop, so it needs no locks.
 */
final class SequenceSlots {

  private final int capacity;
  private final Deque<Ticket> waiting = new ArrayDeque<>();
  private int running;

  SequenceSlots(int capacity) {
    this.capacity = capacity;
  }

  int running() {
    return running;
  }

  int waiting() {
    return waiting.size();
  }

  /** Runs {@code start} now if a slot is free, else once one is. */
  Ticket acquire(Runnable start) {
    Ticket ticket = new Ticket(start);
    if (running < capacity) {
      running++;
      ticket.state = State.RUNNING;
      start.run();
    } else {
      waiting.addLast(ticket);
    }
    return ticket;
  }

  private void promote() {
    while (running < capacity && !waiting.isEmpty()) {
      Ticket next = waiting.pollFirst();
      running++;
      next.state = State.RUNNING;
      next.start.run();
    }
  }

  private enum State {
    WAITING,
    RUNNING,
    DONE
  }

  /** One sequence's place; {@link #release} is idempotent, so every exit path may call it. */
  final class Ticket {
    private final Runnable start;
    private State state = State.WAITING;

    private Ticket(Runnable start) {
      this.start = start;
    }

    boolean isRunning() {
      return state == State.RUNNING;
    }

    void release() {
      if (state == State.RUNNING) {
        running--;
        state = State.DONE;
        promote();
      } else if (state == State.WAITING) {
        waiting.remove(this);
        state = State.DONE;
      }
    }
  }
}
