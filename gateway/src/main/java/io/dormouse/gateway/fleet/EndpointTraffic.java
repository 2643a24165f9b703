package io.dormouse.gateway.fleet;

import io.dormouse.gateway.backend.Backend;
import io.dormouse.gateway.routing.EndpointRef;
import io.dormouse.gateway.stages.Refusal;
import io.dormouse.gateway.usage.GatewayMetrics;
import io.dormouse.gateway.wake.EndpointDispatcher;
import io.vertx.core.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One endpoint's traffic shared by every event loop: its {@link EndpointDispatcher} behind a lock
 * of its own (no lock over all endpoints), held only while the dispatcher decides. What a decision
 * releases runs afterwards on the event loop of each request it concerns.
 */
public final class EndpointTraffic {

  /** A request waiting for a backend, on its own event loop. */
  public interface Waiter {
    Context context();

    /** Runs on {@link #context()}: the request may go to this backend. */
    void assigned(Backend backend);

    /** Runs on {@link #context()}: the request will not get a backend. */
    void refused(Refusal refusal);
  }

  private final EndpointRef ref;
  private final EndpointDispatcher<Waiter> dispatcher;
  private final GatewayMetrics metrics;

  EndpointTraffic(EndpointRef ref, Duration renewEvery, GatewayMetrics metrics) {
    this.ref = ref;
    this.dispatcher = new EndpointDispatcher<>(renewEvery);
    this.metrics = metrics;
  }

  public EndpointRef ref() {
    return ref;
  }

  /** Sends the request to a backend now, queues it, or refuses it. */
  public EndpointDispatcher.Submitted submit(Waiter waiter, Instant now) {
    EndpointDispatcher.Submitted s;
    synchronized (this) {
      s = dispatcher.submit(waiter, now);
    }
    if (!(s instanceof EndpointDispatcher.Dispatch)) {
      depth();
    }
    return s;
  }

  /** The waiter gave up: true when it was still waiting. */
  public boolean withdraw(Waiter waiter) {
    boolean was;
    synchronized (this) {
      was = dispatcher.withdraw(waiter);
    }
    if (was) {
      depth();
    }
    return was;
  }

  /** A request left this backend: its slot goes to the next waiter. */
  public void done(Backend backend) {
    List<EndpointDispatcher.Assignment<Waiter>> next;
    synchronized (this) {
      next = dispatcher.done(backend);
    }
    deliver(next);
  }

  /** A request could not reach this backend: it is passed over for a while. */
  public void unreachable(Backend backend, Instant now) {
    List<EndpointDispatcher.Assignment<Waiter>> next;
    synchronized (this) {
      next = dispatcher.unreachable(backend, now);
    }
    deliver(next);
  }

  public synchronized boolean hasReadyBackend() {
    return dispatcher.hasReadyBackend();
  }

  synchronized boolean renewDue(Instant now) {
    return dispatcher.renewDue(now);
  }

  /** Requests in flight or waiting, and in flight per backend: what peers are told. */
  public synchronized Load load() {
    return new Load(
        dispatcher.inFlight() + dispatcher.waiting(),
        dispatcher.outstanding(),
        dispatcher.serving(),
        dispatcher.capPerReplica());
  }

  /** This endpoint's demand on engine slots as this gateway sees it. */
  public record Load(
      int demand, Map<String, Integer> inFlight, List<Backend> serving, int capPerReplica) {}

  /** This gateway's share of each engine replica's slots (null: the whole cap, no peers). */
  public void slots(Map<String, Integer> perBackend) {
    List<EndpointDispatcher.Assignment<Waiter>> next;
    synchronized (this) {
      next = dispatcher.slots(perBackend);
    }
    deliver(next);
  }

  void configure(int cap, int maxWaiting, boolean failed, String message, Refusal failure) {
    List<Waiter> out;
    synchronized (this) {
      out = dispatcher.configure(cap, maxWaiting, failed, message);
    }
    refuse(out, failure);
  }

  void backendsChanged(List<Backend> serving) {
    List<EndpointDispatcher.Assignment<Waiter>> next;
    synchronized (this) {
      next = dispatcher.backendsChanged(serving);
    }
    deliver(next);
  }

  void drain(Refusal refusal) {
    List<Waiter> out;
    synchronized (this) {
      out = dispatcher.drainAll();
    }
    refuse(out, refusal);
  }

  private void refuse(List<Waiter> waiters, Refusal refusal) {
    for (Waiter w : waiters) {
      w.context().runOnContext(v -> w.refused(refusal));
    }
    depth();
  }

  private void deliver(List<EndpointDispatcher.Assignment<Waiter>> assignments) {
    for (var a : assignments) {
      Waiter w = a.waiter();
      Backend b = a.backend();
      w.context().runOnContext(v -> w.assigned(b));
    }
    if (!assignments.isEmpty()) {
      depth();
    }
  }

  void depth() {
    int waiting;
    synchronized (this) {
      waiting = dispatcher.waiting();
    }
    metrics.queueDepth(ref.namespace(), ref.name(), waiting);
  }
}
