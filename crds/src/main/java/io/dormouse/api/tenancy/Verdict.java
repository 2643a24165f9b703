package io.dormouse.api.tenancy;

/**
 * What the served-name rule says of one claim.
 *
 * @param holder the claim that gets the traffic for this claim's served name: the claim itself when
 *     it owns the name
 * @param reachableAs the simplest {@code model} value that reaches this endpoint, or null when none
 *     does: its served name when it owns it, else its qualified name when it is the first claim of
 *     that name in its namespace. The first claim in a namespace is reachable by its qualified name
 *     as well, owner or not.
 */
public record Verdict(Standing standing, Claim holder, String reachableAs) {

  /** Where a claim stands in the cluster-wide space of served names. */
  public enum Standing {
    /** The first claim of the name (creation time, then uid): the name's traffic is its. */
    OWNS,
    /** An older claim owns the name. */
    CONFLICT,
    /**
     * The served name reads {@code <namespace>/<name>}, and that namespace has an endpoint serving
     * {@code <name>}: qualified names always win, so the name's traffic goes there.
     */
    SHADOWED
  }

  public boolean owns() {
    return standing == Standing.OWNS;
  }
}
