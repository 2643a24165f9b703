package io.dormouse.operator.ledger;

import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.ledger.rows.GpuInterval;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GPU time, one interval per engine pod keyed by its uid: opened when the pod is seen bound to a
 * node (starting at its PodScheduled time, at its tier's price then), closed when it is gone or
 * finished. Keeps no I/O: each step returns the rows to write and the money spent since the last
 * step, for the cost counter.
 *
 * <p>A restart loses nothing: pods still running are opened again with the same uid and bound time
 * (the database keeps the first start), and {@link #adopt} closes the intervals the database still
 * holds open for pods that went away while no operator watched, at the moment it learns of it.
 */
public final class GpuIntervals {

  /** What a step found: interval rows to write, and cost accrued per endpoint and tier. */
  public record Step(List<GpuInterval> rows, List<Cost> costs) {
    static final Step NONE = new Step(List.of(), List.of());
  }

  /** Money spent by an endpoint on a tier since the previous step, in the tier's currency. */
  public record Cost(String namespace, String endpoint, String tier, double amount) {}

  private static final double MILLIS_PER_HOUR = 3_600_000d;

  private final Instant since;
  private final Map<String, Held> open = new HashMap<>();

  private static final class Held {
    GpuInterval interval;
    Instant accountedTo;

    Held(GpuInterval interval, Instant accountedTo) {
      this.interval = interval;
      this.accountedTo = accountedTo;
    }
  }

  /**
   * @param since when this process started counting: cost before it is not this counter's
   */
  public GpuIntervals(Instant since) {
    this.since = since;
  }

  /** Takes in every engine pod there is now. */
  public synchronized Step observe(Collection<Pod> pods, Map<String, GpuTier> tiers, Instant now) {
    List<GpuInterval> rows = new ArrayList<>();
    List<Cost> costs = new ArrayList<>();
    Set<String> holding = new HashSet<>();
    for (Pod pod : pods) {
      if (!PodGpus.holds(pod)) {
        continue;
      }
      String uid = pod.getMetadata().getUid();
      if (open.containsKey(uid)) {
        holding.add(uid);
        continue;
      }
      GpuInterval opened = PodGpus.open(pod, tiers, now);
      if (opened == null) {
        continue;
      }
      holding.add(uid);
      open.put(uid, new Held(opened, later(opened.startedAt(), since)));
      rows.add(opened);
    }
    for (Iterator<Map.Entry<String, Held>> it = open.entrySet().iterator(); it.hasNext(); ) {
      Held held = it.next().getValue();
      if (!holding.contains(held.interval.podUid())) {
        it.remove();
        rows.add(held.interval.closedAt(later(now, held.interval.startedAt())));
      }
      accrue(held, now, costs);
    }
    return rows.isEmpty() && costs.isEmpty() ? Step.NONE : new Step(rows, costs);
  }

  /**
   * After a start: the intervals the database holds open. Those of pods that still hold GPUs are
   * carried on (the database's start and price win); the others are closed now.
   */
  public synchronized Step adopt(
      Collection<GpuInterval> openInDatabase, Collection<Pod> pods, Instant now) {
    Set<String> present = new HashSet<>();
    for (Pod pod : pods) {
      if (PodGpus.holds(pod)) {
        present.add(pod.getMetadata().getUid());
      }
    }
    List<GpuInterval> rows = new ArrayList<>();
    for (GpuInterval stored : openInDatabase) {
      if (present.contains(stored.podUid())) {
        Held held = open.get(stored.podUid());
        if (held == null) {
          open.put(stored.podUid(), new Held(stored, later(now, stored.startedAt())));
        } else {
          held.interval = stored;
        }
      } else {
        rows.add(stored.closedAt(later(now, stored.startedAt())));
      }
    }
    return new Step(rows, List.of());
  }

  /** Intervals open now, by pod uid. */
  public synchronized Map<String, GpuInterval> open() {
    Map<String, GpuInterval> out = new HashMap<>();
    open.forEach((uid, held) -> out.put(uid, held.interval));
    return out;
  }

  private static void accrue(Held held, Instant now, List<Cost> costs) {
    if (!now.isAfter(held.accountedTo)) {
      return;
    }
    GpuInterval i = held.interval;
    long millis = Duration.between(held.accountedTo, now).toMillis();
    held.accountedTo = now;
    double amount = i.gpus() * i.pricePerGpuHour().doubleValue() * millis / MILLIS_PER_HOUR;
    if (amount > 0) {
      costs.add(new Cost(i.namespace(), i.endpoint(), i.tier(), amount));
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
