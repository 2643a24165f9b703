package io.dormouse.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlotShareTest {

  static final String EP = "ns/ep";
  static final String B = "10.0.0.1:8000";

  private static PeerState state(String id, long epoch, List<String> members, int claim) {
    return new PeerState(id, epoch, members, false, List.of(), Map.of(EP, 10), Map.of(B, claim));
  }

  @Test
  void aLoneGatewayGetsTheWholeCap() {
    var view = new SlotShare.View("a", 7, List.of("a"), Map.of(), 1, true);
    assertThat(SlotShare.next(view, Map.of(B, new SlotShare.Backend(EP, 8, 0, 0)), Map.of()))
        .containsEntry(B, 8);
  }

  @Test
  void cutOffFromItsPeersAGatewayTakesTheSmallestEvenSplitOnceSettled() {
    var unsettled = new SlotShare.View("a", 7, List.of("a"), Map.of(), 3, false);
    var settled = new SlotShare.View("a", 7, List.of("a"), Map.of(), 3, true);
    var backends = Map.of(B, new SlotShare.Backend(EP, 8, 0, 0));
    assertThat(SlotShare.next(unsettled, backends, Map.of())).containsEntry(B, 0);
    assertThat(SlotShare.next(settled, backends, Map.of())).containsEntry(B, 2);
  }

  @Test
  void onlyTheMemberWhoseTurnItIsRaisesAndOnlyIntoWhatOthersDoNotClaim() {
    List<String> members = List.of("a", "b");
    var backends = Map.of(B, new SlotShare.Backend(EP, 10, 2, 0));
    Map<String, PeerState> peers = Map.of("b", state("b", 4, members, 7));
    // epoch 4: rank 0 ("a") may raise; b claims 7, so at most 3 are free
    var mine = new SlotShare.View("a", 4, members, peers, 2, true);
    assertThat(SlotShare.next(mine, backends, Map.of(EP, 100))).containsEntry(B, 3);
    // epoch 5 is b's turn: a keeps what it holds
    var notMine =
        new SlotShare.View("a", 5, members, Map.of("b", state("b", 5, members, 7)), 2, true);
    assertThat(SlotShare.next(notMine, backends, Map.of(EP, 100))).containsEntry(B, 2);
    // a stale message from b (epoch 3) forbids raising even on a's turn
    var stale =
        new SlotShare.View("a", 4, members, Map.of("b", state("b", 3, members, 7)), 2, true);
    assertThat(SlotShare.next(stale, backends, Map.of(EP, 100))).containsEntry(B, 2);
  }

  @Test
  void aCapAboveTheTargetIsLoweredAtOnce() {
    List<String> members = List.of("a", "b");
    var backends = Map.of(B, new SlotShare.Backend(EP, 10, 9, 9));
    var view =
        new SlotShare.View(
            "a",
            5,
            members,
            Map.of(
                "b",
                new PeerState("b", 5, members, false, List.of(), Map.of(EP, 50), Map.of(B, 1))),
            2,
            true);
    assertThat(SlotShare.next(view, backends, Map.of(EP, 1)).get(B)).isLessThan(9);
  }

  /**
   * Gateways exchange messages with random delays and shifting demand; at no instant do the slots
   * they hold or use on one engine replica add up to more than its cap, and the slots follow the
   * demand.
   */
  @ParameterizedTest(name = "{0} gateways, cap {1}")
  @CsvSource({"2, 4", "3, 8", "3, 50", "5, 7"})
  void theGatewaysTogetherNeverExceedTheCap(int n, int cap) {
    Random random = new Random(31L * n + cap);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("gw-" + i);
    }
    int[] held = new int[n];
    int[] inFlight = new int[n];
    int[] demand = new int[n];
    List<Map<String, PeerState>> heard = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      heard.add(new HashMap<>());
    }
    record Delivery(long at, int to, PeerState state) {}
    PriorityQueue<Delivery> wire = new PriorityQueue<>((x, y) -> Long.compare(x.at(), y.at()));
    long period = 200;
    long servedByBusiest = 0;
    for (long now = 0; now < 600_000; now += 5) {
      long epoch = now / period;
      if (now % 5_000 == 0) {
        for (int i = 0; i < n; i++) {
          demand[i] = random.nextInt(4) == 0 ? 0 : random.nextInt(3 * cap);
        }
      }
      if (now % period == 0) {
        for (int i = 0; i < n; i++) {
          PeerState s =
              new PeerState(
                  ids.get(i),
                  epoch,
                  ids,
                  false,
                  List.of(),
                  Map.of(EP, demand[i]),
                  Map.of(B, Math.max(held[i], inFlight[i])));
          for (int j = 0; j < n; j++) {
            if (j != i) {
              wire.add(new Delivery(now + random.nextInt((int) period / 2), j, s));
            }
          }
        }
      }
      while (!wire.isEmpty() && wire.peek().at() <= now) {
        Delivery d = wire.poll();
        heard.get(d.to()).put(d.state().id(), d.state());
        int i = d.to();
        var view = new SlotShare.View(ids.get(i), epoch, ids, heard.get(i), n, true);
        held[i] =
            SlotShare.next(
                    view,
                    Map.of(B, new SlotShare.Backend(EP, cap, held[i], inFlight[i])),
                    Map.of(EP, demand[i]))
                .get(B);
      }
      for (int i = 0; i < n; i++) {
        if (inFlight[i] > 0 && random.nextInt(3) == 0) {
          inFlight[i]--; // a request finished
        }
        while (inFlight[i] < Math.min(held[i], demand[i])) {
          inFlight[i]++; // a request was sent under this gateway's cap
        }
      }
      int total = 0;
      for (int i = 0; i < n; i++) {
        total += inFlight[i];
      }
      assertThat(total).as("in flight at %d ms", now).isLessThanOrEqualTo(cap);
      servedByBusiest += total;
    }
    assertThat(servedByBusiest).as("slots were used at all").isPositive();
  }

  @Test
  void slotsMoveToTheGatewayThatNeedsThem() {
    List<String> ids = List.of("a", "b");
    int cap = 10;
    int[] held = {5, 5};
    int[] demand = {0, 40};
    for (long epoch = 0; epoch < 20; epoch++) {
      PeerState[] states = new PeerState[2];
      for (int i = 0; i < 2; i++) {
        states[i] =
            new PeerState(
                ids.get(i),
                epoch,
                ids,
                false,
                List.of(),
                Map.of(EP, demand[i]),
                Map.of(B, held[i]));
      }
      for (int i = 0; i < 2; i++) {
        var view =
            new SlotShare.View(
                ids.get(i), epoch, ids, Map.of(ids.get(1 - i), states[1 - i]), 2, true);
        held[i] =
            SlotShare.next(
                    view,
                    Map.of(B, new SlotShare.Backend(EP, cap, held[i], 0)),
                    Map.of(EP, demand[i]))
                .get(B);
      }
    }
    assertThat(held[1]).isGreaterThanOrEqualTo(9);
    assertThat(held[0] + held[1]).isLessThanOrEqualTo(cap);
  }

  // --- the pieces of the decision, as tables ---

  @ParameterizedTest(name = "evenSplit(cap {0}, {1} replicas, rank {2}) = {3}")
  @CsvSource({
    "8, 3, 0, 3",
    "8, 3, 1, 3",
    "8, 3, 2, 2",
    "9, 3, 2, 3",
    "2, 3, 1, 1",
    "2, 3, 2, 0",
    "8, 1, 0, 8",
    // no replicas counts as one
    "8, 0, 0, 8",
    "8, -2, 0, 8",
    // a rank past the end wraps around
    "8, 3, 3, 3",
    "8, 3, 5, 2",
    "8, 3, -1, 2",
  })
  void evenSplit(int cap, int replicas, int rank, int expected) {
    assertThat(SlotShare.evenSplit(cap, replicas, rank)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "wholeSlots([{0}], cap {1}) = [{2}]")
  @CsvSource(
      delimiter = ';',
      value = {
        "3 7; 10; 3 7",
        // the slot left over goes to the largest remainder
        "2.2 3.7 4.1; 10; 2 4 4",
        "1.6 1.6 1.8; 5; 2 1 2",
        // equal remainders: the lower rank first
        "3.5 3.5 3; 10; 4 3 3",
        "3 3.5 3.5; 10; 3 4 3",
        "2.5 2.5 2.5 2.5; 10; 3 3 2 2",
        // a share a hair under a whole slot is that slot
        "2.9999999999 7.0000000001; 10; 3 7",
        // ... and has no remainder left to win a spare slot with
        "2.9999999999 3 4.0000000001; 11; 4 3 4",
        "3.0000000001 3.2 3.3; 10; 3 3 4",
        // at most one spare slot each, whatever is left
        "0.5 0.5; 5; 1 1",
        // nothing spare: plain floors
        "3.9 3.9; 6; 3 3",
      })
  void wholeSlots(String shares, int cap, String expected) {
    double[] s = Arrays.stream(shares.split(" ")).mapToDouble(Double::parseDouble).toArray();
    int[] want = Arrays.stream(expected.split(" ")).mapToInt(Integer::parseInt).toArray();
    for (int rank = 0; rank < want.length; rank++) {
      assertThat(SlotShare.wholeSlots(s, cap, rank)).as("rank %d", rank).isEqualTo(want[rank]);
    }
  }

  private static PeerState peer(
      String id, long epoch, List<String> members, Map<String, Integer> claims) {
    return new PeerState(id, epoch, members, false, List.of(), Map.of(), claims);
  }

  private static SlotShare.View view(
      String self, long epoch, List<String> members, PeerState... peers) {
    Map<String, PeerState> byId = new HashMap<>();
    for (PeerState p : peers) {
      byId.put(p.id(), p);
    }
    return new SlotShare.View(self, epoch, members, byId, members.size(), true);
  }

  static final List<String> ABC = List.of("a", "b", "c");

  @Test
  void withinEvenSplitsChecksEachMemberAgainstItsOwnRanksSplit() {
    // cap 8 among a, b, c: even splits 3, 3, 2
    assertThat(SlotShare.withinEvenSplits(view("a", 1, ABC), 8, B)).isTrue();
    assertThat(SlotShare.withinEvenSplits(view("a", 1, ABC, peer("b", 1, ABC, Map.of(B, 3))), 8, B))
        .isTrue();
    assertThat(SlotShare.withinEvenSplits(view("a", 1, ABC, peer("b", 1, ABC, Map.of(B, 4))), 8, B))
        .isFalse();
    assertThat(SlotShare.withinEvenSplits(view("a", 1, ABC, peer("c", 1, ABC, Map.of(B, 2))), 8, B))
        .isTrue();
    assertThat(SlotShare.withinEvenSplits(view("a", 1, ABC, peer("c", 1, ABC, Map.of(B, 3))), 8, B))
        .isFalse();
    // a claim on another engine replica does not count
    assertThat(
            SlotShare.withinEvenSplits(
                view("a", 1, ABC, peer("c", 1, ABC, Map.of("other:1", 8))), 8, B))
        .isTrue();
    // its own echoed state counts like anyone's (rank 0: 3)
    assertThat(SlotShare.withinEvenSplits(view("a", 1, ABC, peer("a", 1, ABC, Map.of(B, 4))), 8, B))
        .isFalse();
  }

  @Test
  void listedByAllNeedsAClaimEvenZeroFromEveryOtherMember() {
    assertThat(SlotShare.listedByAll(view("a", 1, ABC), B)).isFalse();
    assertThat(SlotShare.listedByAll(view("a", 1, ABC, peer("b", 1, ABC, Map.of(B, 0))), B))
        .isFalse();
    assertThat(
            SlotShare.listedByAll(
                view("a", 1, ABC, peer("b", 1, ABC, Map.of(B, 0)), peer("c", 1, ABC, Map.of())), B))
        .isFalse();
    assertThat(
            SlotShare.listedByAll(
                view("a", 1, ABC, peer("b", 1, ABC, Map.of(B, 0)), peer("c", 1, ABC, Map.of(B, 2))),
                B))
        .isTrue();
    // itself need not be among the peers
    assertThat(SlotShare.listedByAll(view("a", 1, List.of("a")), B)).isTrue();
  }

  @Test
  void sameMembersAndThisPeriodCompareEveryOtherMembersList() {
    List<String> ab = List.of("a", "b");
    var same = view("a", 5, ABC, peer("b", 5, ABC, Map.of()), peer("c", 5, ABC, Map.of()));
    assertThat(SlotShare.sameMembers(same)).isTrue();
    assertThat(SlotShare.thisPeriod(same)).isTrue();

    var oneMissing = view("a", 5, ABC, peer("b", 5, ABC, Map.of()));
    assertThat(SlotShare.sameMembers(oneMissing)).isFalse();
    assertThat(SlotShare.thisPeriod(oneMissing)).isFalse();

    var otherList = view("a", 5, ABC, peer("b", 5, ABC, Map.of()), peer("c", 5, ab, Map.of()));
    assertThat(SlotShare.sameMembers(otherList)).isFalse();
    assertThat(SlotShare.thisPeriod(otherList)).isFalse();

    // same members, but c's message is from the period before: same members, not this period
    var stale = view("a", 5, ABC, peer("b", 5, ABC, Map.of()), peer("c", 4, ABC, Map.of()));
    assertThat(SlotShare.sameMembers(stale)).isTrue();
    assertThat(SlotShare.thisPeriod(stale)).isFalse();

    // its own echoed state is not compared, even when outdated
    var echo =
        view(
            "a",
            5,
            ABC,
            peer("a", 1, ab, Map.of()),
            peer("b", 5, ABC, Map.of()),
            peer("c", 5, ABC, Map.of()));
    assertThat(SlotShare.sameMembers(echo)).isTrue();
    assertThat(SlotShare.thisPeriod(echo)).isTrue();
  }

  @Test
  void theTargetSplitsTheCapByEachMembersDemandForThatEndpoint() {
    List<String> ab = List.of("a", "b");
    var b = new PeerState("b", 1, ab, false, List.of(), Map.of(EP, 40, "ns/other", 1), Map.of());
    var v = view("a", 1, ab, b);
    var backend = new SlotShare.Backend(EP, 10, 0, 0);
    // split(10, [2, 40]) = [2, 8]
    assertThat(SlotShare.target(v, backend, Map.of(EP, 2, "ns/other", 50), 0)).isEqualTo(2);
    // b's own demand 40 against a's reported 0: split(10, [0, 40]) = [0.25, 9.75] → 0 and 10
    assertThat(
            SlotShare.target(
                view("b", 1, ab, new PeerState("a", 1, ab, false, List.of(), Map.of(), Map.of())),
                backend,
                Map.of(EP, 40),
                1))
        .isEqualTo(10);
    // nothing heard from b: its demand counts as 0; split(10, [2, 0]) = [5.875, 4.125] → 6 and 4
    assertThat(SlotShare.target(view("a", 1, ab), backend, Map.of(EP, 2), 0)).isEqualTo(6);
    assertThat(SlotShare.target(view("a", 1, ab), backend, Map.of(EP, 2), 1)).isEqualTo(4);
  }

  @Test
  void aLoneGatewayThatIsTheOnlyOneListedTakesTheWholeCapAtOnce() {
    var backends = Map.of(B, new SlotShare.Backend(EP, 8, 0, 0));
    for (int listed : new int[] {0, 1}) {
      for (boolean settled : new boolean[] {false, true}) {
        var v = new SlotShare.View("a", 7, List.of("a"), Map.of(), listed, settled);
        assertThat(SlotShare.next(v, backends, Map.of()))
            .as("%d %s", listed, settled)
            .containsEntry(B, 8);
      }
    }
    var noMembers = new SlotShare.View("a", 7, List.of(), Map.of(), 1, false);
    assertThat(SlotShare.next(noMembers, backends, Map.of())).containsEntry(B, 8);
  }

  @Test
  void anEngineReplicaNotEveryoneReportedYetGetsAtMostAnEvenSplit() {
    var backends = Map.of(B, new SlotShare.Backend(EP, 10, 0, 0));
    Map<String, Integer> demand = Map.of(EP, 100);
    // b knows only another engine replica: a may take its even split (5 of 10) at once, even out
    // of turn (epoch 5 is b's)
    List<String> ab = List.of("a", "b");
    var fresh = view("a", 5, ab, peer("b", 5, ab, Map.of("other:1", 1)));
    assertThat(SlotShare.next(fresh, backends, demand)).containsEntry(B, 5);
    // but never more than its target: demand 2 against b's 100 makes a's target 2 of 10
    var modest =
        view("a", 5, ab, new PeerState("b", 5, ab, false, List.of(), Map.of(EP, 100), Map.of()));
    assertThat(SlotShare.next(modest, backends, Map.of(EP, 2))).containsEntry(B, 2);
    // three members, cap 10: even splits 4, 3, 3; b claims 3 of B while c has not reported it
    var withinSplits =
        view("a", 5, ABC, peer("b", 5, ABC, Map.of(B, 3)), peer("c", 5, ABC, Map.of()));
    assertThat(SlotShare.next(withinSplits, backends, demand)).containsEntry(B, 4);
    // b claims 4, more than its split: someone raised, so a takes nothing new
    var beyondSplits =
        view("a", 5, ABC, peer("b", 5, ABC, Map.of(B, 4)), peer("c", 5, ABC, Map.of()));
    assertThat(SlotShare.next(beyondSplits, backends, demand)).containsEntry(B, 0);
    // members that disagree on who is in: nothing new either
    var disagree = view("a", 5, ab, peer("b", 5, List.of("b"), Map.of("other:1", 1)));
    assertThat(SlotShare.next(disagree, backends, demand)).containsEntry(B, 0);
    // ... but what it holds is kept
    var holding = Map.of(B, new SlotShare.Backend(EP, 10, 2, 0));
    assertThat(SlotShare.next(disagree, holding, demand)).containsEntry(B, 2);
  }

  @Test
  void itsOwnEchoedClaimDoesNotCountAgainstItWhenRaising() {
    List<String> ab = List.of("a", "b");
    var backends = Map.of(B, new SlotShare.Backend(EP, 10, 2, 0));
    var v = view("a", 4, ab, peer("a", 4, ab, Map.of(B, 9)), peer("b", 4, ab, Map.of(B, 7)));
    assertThat(SlotShare.next(v, backends, Map.of(EP, 100))).containsEntry(B, 3);
    // a claim on another engine replica does not count either
    var other = view("a", 4, ab, peer("b", 4, ab, Map.of(B, 4, "other:1", 5)));
    assertThat(SlotShare.next(other, backends, Map.of(EP, 100))).containsEntry(B, 6);
    // raising stops at the target: split(10, [3, 10]) = [3, 7], so 3 of 10
    var modest =
        view("a", 4, ab, new PeerState("b", 4, ab, false, List.of(), Map.of(EP, 10), Map.of(B, 0)));
    assertThat(SlotShare.next(modest, backends, Map.of(EP, 3))).containsEntry(B, 3);
  }

  @Test
  void theRankWhoseTurnItIsFollowsTheEpochModuloTheMembers() {
    var backends = Map.of(B, new SlotShare.Backend(EP, 9, 0, 0));
    Map<String, Integer> demand = Map.of(EP, 100);
    for (long epoch = 0; epoch < 6; epoch++) {
      var v =
          view(
              "c",
              epoch,
              ABC,
              peer("a", epoch, ABC, Map.of(B, 0)),
              peer("b", epoch, ABC, Map.of(B, 0)));
      int expected = epoch % 3 == 2 ? 9 : 0;
      assertThat(SlotShare.next(v, backends, demand))
          .as("epoch %d", epoch)
          .containsEntry(B, expected);
    }
  }
}
