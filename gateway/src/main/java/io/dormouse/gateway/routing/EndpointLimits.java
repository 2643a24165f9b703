package io.dormouse.gateway.routing;

/** The gateway-enforced limits of one endpoint, as its spec states them (cluster-wide). */
public record EndpointLimits(
    int maxConcurrentPerReplica,
    double requestsPerSecond,
    double tokensPerSecond,
    int maxWaitingRequests) {

  public static final EndpointLimits DEFAULTS = new EndpointLimits(500, 100, 10000, 1000);
}
