package io.dormouse.gateway.wake;

import io.dormouse.gateway.backend.Backend;
import io.dormouse.gateway.backend.BackendPicker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One endpoint's traffic: which backend a request goes to, who waits, and when waiters are
 * released. A waiter is released only onto a backend slot under the per-replica cap, so a wake
 * never floods the first ready replica. Single-threaded: the gateway drives it from its event loop;
 * it does no I/O, the caller acts on what it returns.
 *
 * @param <W> the caller's handle on a waiting request
 */
public final class EndpointDispatcher<W> {

  /** What became of a submitted request. */
  public sealed interface Submitted permits Dispatch, Queued, Refused {}

  /** Send it to this backend now. */
  public record Dispatch(Backend backend) implements Submitted {}

  /**
   * It waits.
   *
   * @param signalWake true for the one request of a wake that must write the activity Lease
   */
  public record Queued(boolean signalWake) implements Submitted {}

  /** It cannot wait: the endpoint failed, or the queue is full. */
  public record Refused(Refusal reason, String message) implements Submitted {}

  public enum Refusal {
    ENDPOINT_FAILED,
    QUEUE_FULL
  }

  /** A waiter released onto a backend. */
  public record Assignment<W>(W waiter, Backend backend) {}

  /** How long a backend that could not be reached is passed over while others have room. */
  static final Duration QUARANTINE = Duration.ofSeconds(5);

  private final LinkedHashSet<W> queue = new LinkedHashSet<>();
  private final Map<String, Instant> quarantinedUntil = new HashMap<>();
  // the latest time it was told; quarantines expire against it (slice changes carry no time)
  private Instant lastSeen = Instant.EPOCH;
  private final Map<String, Integer> outstanding = new HashMap<>();
  private final ActivityPolicy activity;
  private List<Backend> serving = List.of();
  private int cap = 1;
  // this gateway's share of each engine replica's slots; null: the whole cap (no peers)
  private Map<String, Integer> slots;
  private int maxWaiting = 1;
  private boolean failed;
  private String failure = "";
  private int rotation;

  public EndpointDispatcher(Duration renewEvery) {
    this.activity = new ActivityPolicy(renewEvery);
  }

  /**
   * New limits or phase. When the endpoint failed and has nothing ready, every waiter is returned
   * to be failed at once.
   */
  public List<W> configure(
      int capPerReplica, int maxWaitingRequests, boolean isFailed, String message) {
    this.cap = Math.max(1, capPerReplica);
    this.maxWaiting = Math.max(1, maxWaitingRequests);
    this.failed = isFailed;
    this.failure = message == null ? "" : message;
    if (failed && serving.isEmpty()) {
      List<W> out = new ArrayList<>(queue);
      queue.clear();
      activity.wakeOver();
      return out;
    }
    return List.of();
  }

  public Submitted submit(W waiter, Instant now) {
    lastSeen = now;
    activity.activity(now);
    if (queue.isEmpty()) {
      var backend = pick();
      if (backend.isPresent()) {
        take(backend.get());
        return new Dispatch(backend.get());
      }
    }
    if (failed && serving.isEmpty()) {
      return new Refused(Refusal.ENDPOINT_FAILED, failure);
    }
    if (queue.size() >= maxWaiting) {
      return new Refused(Refusal.QUEUE_FULL, "too many requests are waiting for this model");
    }
    queue.add(waiter);
    return new Queued(serving.isEmpty() && activity.wakeNeeded(now));
  }

  /** The waiter gave up (client gone, or its deadline passed): true when it was still waiting. */
  public boolean withdraw(W waiter) {
    boolean was = queue.remove(waiter);
    if (was && queue.isEmpty() && serving.isEmpty()) {
      activity.wakeOver();
    }
    return was;
  }

  /** A request on this backend finished; releases waiters into the freed slot. */
  public List<Assignment<W>> done(Backend backend) {
    outstanding.computeIfPresent(backend.id(), (id, n) -> n <= 1 ? null : n - 1);
    return release();
  }

  /**
   * A request could not reach this backend (it stopped listening before its slice said so): its
   * slot is freed and, for {@link #QUARANTINE}, other backends are preferred to it. It stays a
   * candidate when there is no other, so a lone backend that refused once is tried again.
   */
  public List<Assignment<W>> unreachable(Backend backend, Instant now) {
    lastSeen = now;
    quarantinedUntil.put(backend.id(), now.plus(QUARANTINE));
    return done(backend);
  }

  /** The ready backends of the serving tier changed; releases waiters onto free slots. */
  public List<Assignment<W>> backendsChanged(List<Backend> nowServing) {
    this.serving = List.copyOf(nowServing);
    quarantinedUntil.keySet().removeIf(id -> serving.stream().noneMatch(b -> b.id().equals(id)));
    if (!serving.isEmpty()) {
      activity.wakeOver();
    }
    return release();
  }

  /**
   * This gateway's share of each engine replica's concurrency (by {@link Backend#id()}), when other
   * gateway replicas share them; null gives every replica the endpoint's whole cap. A backend
   * missing from the map gets no slot. Releases waiters onto slots that a larger share freed.
   */
  public List<Assignment<W>> slots(Map<String, Integer> perBackend) {
    this.slots = perBackend == null ? null : Map.copyOf(perBackend);
    return release();
  }

  /** The cap of one backend for this gateway. */
  int capOf(Backend b) {
    if (slots == null) {
      return cap;
    }
    return Math.min(cap, slots.getOrDefault(b.id(), 0));
  }

  /** Requests in flight per backend id. */
  public Map<String, Integer> outstanding() {
    return Map.copyOf(outstanding);
  }

  /** The serving backends. */
  public List<Backend> serving() {
    return serving;
  }

  /** The endpoint's cap per engine replica, as its spec states it. */
  public int capPerReplica() {
    return cap;
  }

  /** True when the activity Lease should be renewed now. */
  public boolean renewDue(Instant now) {
    return activity.renewDue(now, !outstanding.isEmpty());
  }

  public int waiting() {
    return queue.size();
  }

  public int inFlight() {
    int n = 0;
    for (int v : outstanding.values()) {
      n += v;
    }
    return n;
  }

  public boolean hasReadyBackend() {
    return !serving.isEmpty();
  }

  /** Everyone waiting, removed (shutdown). */
  public List<W> drainAll() {
    List<W> out = new ArrayList<>(queue);
    queue.clear();
    return out;
  }

  private List<Assignment<W>> release() {
    List<Assignment<W>> out = new ArrayList<>();
    Iterator<W> it = queue.iterator();
    while (it.hasNext()) {
      var backend = pick();
      if (backend.isEmpty()) {
        break;
      }
      W w = it.next();
      it.remove();
      take(backend.get());
      out.add(new Assignment<>(w, backend.get()));
    }
    return out;
  }

  /** Least loaded backend with room, passing over quarantined ones while another has room. */
  private Optional<Backend> pick() {
    if (!quarantinedUntil.isEmpty()) {
      quarantinedUntil.values().removeIf(until -> !until.isAfter(lastSeen));
      List<Backend> trusted = new ArrayList<>(serving.size());
      for (Backend b : serving) {
        if (!quarantinedUntil.containsKey(b.id())) {
          trusted.add(b);
        }
      }
      var backend = BackendPicker.pick(trusted, outstanding, this::capOf, rotation++);
      if (backend.isPresent()) {
        return backend;
      }
    }
    return BackendPicker.pick(serving, outstanding, this::capOf, rotation++);
  }

  private void take(Backend backend) {
    outstanding.merge(backend.id(), 1, Integer::sum);
  }
}
