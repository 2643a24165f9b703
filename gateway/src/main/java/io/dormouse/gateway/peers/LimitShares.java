package io.dormouse.gateway.peers;

import io.dormouse.gateway.cluster.MaxMinShare;
import io.dormouse.gateway.cluster.PeerState;
import io.dormouse.gateway.ratelimit.ProjectLimiter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * This replica's share of each project's limits: the demands of every member (its own as it sent
 * them last period, the peers' as they last said) are split max-min fairly with a floor ({@link
 * MaxMinShare}), so every replica computes the same split from the same messages and the shares add
 * up to the limit.
 */
final class LimitShares {

  private LimitShares() {}

  /**
   * @param members this replica and its live peers, sorted
   * @param peers the last state heard from each peer in {@code members}
   * @param mine this replica's demand as it last told its peers
   */
  static void apply(
      ProjectLimiter limiter,
      String self,
      List<String> members,
      Map<String, PeerState> peers,
      List<ProjectLimiter.Demand> mine) {
    Map<String, Map<ProjectLimiter.Key, PeerState.LimitDemand>> byPeer = new HashMap<>();
    peers.forEach(
        (id, state) -> {
          Map<ProjectLimiter.Key, PeerState.LimitDemand> index = new HashMap<>();
          for (PeerState.LimitDemand d : state.limits()) {
            index.put(new ProjectLimiter.Key(d.project(), d.endpoint()), d);
          }
          byPeer.put(id, index);
        });
    int at = members.indexOf(self);
    for (ProjectLimiter.Demand d : mine) {
      double[] requests = new double[members.size()];
      double[] tokens = new double[members.size()];
      long peersRequests = 0;
      long peersTokens = 0;
      for (int i = 0; i < members.size(); i++) {
        if (i == at) {
          requests[i] = d.requests();
          tokens[i] = d.tokens();
          continue;
        }
        PeerState.LimitDemand p = byPeer.getOrDefault(members.get(i), Map.of()).get(d.key());
        if (p != null) {
          requests[i] = p.requests();
          tokens[i] = p.tokens();
          peersRequests += p.remainingRequests();
          peersTokens += p.remainingTokens();
        }
      }
      limiter.share(
          d.key(),
          fraction(d.limits().requestsPerSecond(), requests, at),
          fraction(d.limits().tokensPerSecond(), tokens, at),
          peersRequests,
          peersTokens);
    }
  }

  private static double fraction(double limit, double[] demands, int self) {
    if (limit <= 0) {
      return 1.0 / demands.length;
    }
    return MaxMinShare.split(limit, demands, MaxMinShare.DEFAULT_FLOOR)[self] / limit;
  }
}
