package io.dormouse.gateway.cluster;

import java.util.List;
import java.util.Map;

/**
 * What one gateway replica last told its peers: its view of the cluster and, per project and
 * endpoint, its demand on the rate limits; per endpoint its demand on engine slots and per engine
 * replica the slots it holds.
 *
 * @param id the replica's pod name
 * @param epoch the exchange period it was sent in ({@code epochMillis / period})
 * @param members the replicas it counts (itself included), sorted
 * @param leaving true while it shuts down: peers stop counting it at once
 * @param limits demand and remaining budget per (project, endpoint)
 * @param slotDemand per endpoint ({@code namespace/name}): requests in flight or waiting
 * @param claims per engine replica ({@code host:port}): the slots it holds or uses, whichever is
 *     more
 */
public record PeerState(
    String id,
    long epoch,
    List<String> members,
    boolean leaving,
    List<LimitDemand> limits,
    Map<String, Integer> slotDemand,
    Map<String, Integer> claims) {

  public PeerState {
    members = List.copyOf(members);
    limits = List.copyOf(limits);
    slotDemand = Map.copyOf(slotDemand);
    claims = Map.copyOf(claims);
  }

  /**
   * One replica's recent demand on one project's limits on one endpoint.
   *
   * @param requests requests per second it was asked to admit (admitted or not)
   * @param tokens tokens per second those requests reserved or asked for
   * @param remainingRequests what its request bucket holds now
   * @param remainingTokens what its token bucket holds now
   */
  public record LimitDemand(
      String project,
      String endpoint,
      double requests,
      double tokens,
      long remainingRequests,
      long remainingTokens) {}
}
