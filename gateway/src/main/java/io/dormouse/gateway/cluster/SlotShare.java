package io.dormouse.gateway.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many concurrent requests this gateway replica may send to each engine replica, so that all
 * gateway replicas together never exceed the endpoint's {@code maxConcurrentRequestsPerReplica} on
 * any engine replica, while the slots follow demand.
 *
 * <p>Lowering a cap is always safe and happens at once. Raising is where two replicas could both
 * take the same free slots, so it is serialised: in exchange period {@code e} only the member of
 * rank {@code e mod N} may raise, and only once it holds a message of period {@code e} from every
 * other member with the same member list; it raises into what the others claim to hold or use
 * (whichever is more), never beyond its target. A replica that has heard from none of the peers its
 * Service lists takes an even split, by rank; one that has not yet waited for its peers takes
 * nothing new.
 */
public final class SlotShare {

  /** One engine replica as this gateway sees it. */
  public record Backend(String endpoint, int cap, int held, int inFlight) {}

  /**
   * This replica's view for one decision.
   *
   * @param members live members (this one included), sorted; the same list peers must report
   * @param peers the latest state of each other member, by id
   * @param listedReplicas gateway replicas its Service lists (for the even split when cut off)
   * @param settled false until this replica has waited long enough to have heard its peers
   */
  public record View(
      String self,
      long epoch,
      List<String> members,
      Map<String, PeerState> peers,
      int listedReplicas,
      boolean settled) {}

  private SlotShare() {}

  /**
   * The slots to hold next per engine replica.
   *
   * @param backends this replica's engine replicas by id ({@code host:port})
   * @param demand this replica's requests in flight or waiting, per endpoint
   */
  public static Map<String, Integer> next(
      View view, Map<String, Backend> backends, Map<String, Integer> demand) {
    Map<String, Integer> out = new HashMap<>();
    boolean alone = view.members().size() <= 1;
    if (alone && view.listedReplicas() <= 1) {
      backends.forEach((id, b) -> out.put(id, b.cap()));
      return out;
    }
    if (alone) {
      // cut off, or not yet heard from the peers its Service lists: an even split once settled
      backends.forEach(
          (id, b) ->
              out.put(
                  id,
                  view.settled()
                      ? evenSplit(b.cap(), view.listedReplicas(), view.listedReplicas() - 1)
                      : 0));
      return out;
    }
    int n = view.members().size();
    int rank = view.members().indexOf(view.self());
    boolean sameMembers = rank >= 0 && sameMembers(view);
    boolean mayRaise = sameMembers && Math.floorMod(view.epoch(), n) == rank && thisPeriod(view);
    for (var e : backends.entrySet()) {
      String id = e.getKey();
      Backend b = e.getValue();
      int target = target(view, b, demand, rank);
      int held = Math.min(b.held(), target);
      if (sameMembers && !listedByAll(view, id)) {
        // a replica some member has not reported yet: nobody can have raised on it, and every
        // member that took slots took at most its even split
        if (withinEvenSplits(view, b.cap(), id)) {
          held = Math.max(held, Math.min(target, evenSplit(b.cap(), n, rank)));
        }
      } else if (mayRaise && target > held) {
        int others = 0;
        for (String m : view.members()) {
          PeerState p = view.peers().get(m);
          if (p != null && !m.equals(view.self())) {
            others += p.claims().getOrDefault(id, 0);
          }
        }
        held = Math.max(held, Math.min(target, b.cap() - others));
      }
      out.put(id, Math.max(0, held));
    }
    return out;
  }

  /** Every other member lists exactly the same members. */
  static boolean sameMembers(View view) {
    for (String m : view.members()) {
      if (m.equals(view.self())) {
        continue;
      }
      PeerState p = view.peers().get(m);
      if (p == null || !p.members().equals(view.members())) {
        return false;
      }
    }
    return true;
  }

  /** Every other member reported a claim (even 0) on this engine replica. */
  static boolean listedByAll(View view, String backend) {
    for (String m : view.members()) {
      PeerState p = view.peers().get(m);
      if (!m.equals(view.self()) && (p == null || !p.claims().containsKey(backend))) {
        return false;
      }
    }
    return true;
  }

  /** No member claims more of this engine replica than its even split. */
  static boolean withinEvenSplits(View view, int cap, String backend) {
    int n = view.members().size();
    for (int i = 0; i < n; i++) {
      PeerState p = view.peers().get(view.members().get(i));
      if (p != null && p.claims().getOrDefault(backend, 0) > evenSplit(cap, n, i)) {
        return false;
      }
    }
    return true;
  }

  /** Every other member sent a message in this period, listing the same members. */
  static boolean thisPeriod(View view) {
    for (String m : view.members()) {
      if (m.equals(view.self())) {
        continue;
      }
      PeerState p = view.peers().get(m);
      if (p == null || p.epoch() != view.epoch() || !p.members().equals(view.members())) {
        return false;
      }
    }
    return true;
  }

  /** This replica's whole-slot share of an engine replica's cap, by the members' demand. */
  static int target(View view, Backend b, Map<String, Integer> demand, int rank) {
    int n = view.members().size();
    double[] demands = new double[n];
    for (int i = 0; i < n; i++) {
      String m = view.members().get(i);
      if (m.equals(view.self())) {
        demands[i] = demand.getOrDefault(b.endpoint(), 0);
      } else {
        PeerState p = view.peers().get(m);
        demands[i] = p == null ? 0 : p.slotDemand().getOrDefault(b.endpoint(), 0);
      }
    }
    double[] shares = MaxMinShare.split(b.cap(), demands, MaxMinShare.DEFAULT_FLOOR);
    return wholeSlots(shares, b.cap(), rank);
  }

  /**
   * Rounds shares down to whole slots and gives the slots left over one each to the largest
   * remainders (ties to the lower rank), the same on every replica that sees the same demands.
   */
  static int wholeSlots(double[] shares, int cap, int rank) {
    int n = shares.length;
    int[] whole = new int[n];
    int used = 0;
    for (int i = 0; i < n; i++) {
      whole[i] = (int) Math.floor(shares[i] + 1e-9);
      used += whole[i];
    }
    int left = cap - used;
    boolean[] given = new boolean[n];
    while (left > 0) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (!given[i] && (best < 0 || shares[i] - whole[i] > shares[best] - whole[best] + 1e-9)) {
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      given[best] = true;
      whole[best]++;
      left--;
    }
    return whole[rank];
  }

  /** {@code cap / replicas}, the remainder going one each to the lowest ranks. */
  static int evenSplit(int cap, int replicas, int rank) {
    int n = Math.max(1, replicas);
    return cap / n + (Math.floorMod(rank, n) < cap % n ? 1 : 0);
  }
}
