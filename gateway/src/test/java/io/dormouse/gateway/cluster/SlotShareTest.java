package io.dormouse.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
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
}
