package io.dormouse.operator.lifecycle;

import io.dormouse.api.tenancy.AllowedProjects;
import io.dormouse.api.tenancy.Claim;
import io.dormouse.api.tenancy.Grant;
import io.dormouse.api.tenancy.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where the endpoint stands among the others, by the rules the gateways apply too: whether it owns
 * its served name, and what its namespace lets it serve. Turned into conditions and Events here;
 * the messages name another endpoint only when it is in the same namespace.
 */
public record Tenancy(Claim claim, Verdict verdict, AllowedProjects allowed, Grant grant) {

  /** Owns its name, nothing restricted: what tests of the lifecycle alone assume. */
  public static Tenancy unrestricted(String namespace, String servedName, boolean isPublic) {
    Claim claim = new Claim(namespace, "endpoint", null, null, servedName);
    return new Tenancy(
        claim,
        new Verdict(Verdict.Standing.OWNS, claim, servedName),
        AllowedProjects.UNRESTRICTED,
        AllowedProjects.UNRESTRICTED.grant(isPublic, Set.of()));
  }

  static final Tenancy NONE = unrestricted("default", "endpoint", true);

  boolean conflict() {
    return !verdict.owns();
  }

  /** Nothing at all may call it: every project it asked for was refused. */
  boolean unreachableByProjects() {
    return grant.refusesAny() && grant.allowsNone();
  }

  String ownedMessage() {
    return "served name \""
        + claim.servedName()
        + "\" is this endpoint's: clients send it, or \""
        + claim.qualifiedName()
        + "\", as model";
  }

  String conflictMessage() {
    Claim holder = verdict.holder();
    boolean here = holder.namespace().equals(claim.namespace());
    String whose =
        here
            ? "endpoint \"" + holder.name() + "\" in this namespace"
            : "an endpoint in another namespace";
    String why =
        verdict.standing() == Verdict.Standing.SHADOWED
            ? "served name \"" + claim.servedName() + "\" is the qualified name of " + whose
            : "served name \""
                + claim.servedName()
                + "\" belongs to "
                + whose
                + ", which claimed it first";
    String traffic =
        verdict.reachableAs() == null
            ? "this endpoint gets no traffic"
            : "this endpoint gets no traffic for it, only for its qualified name \""
                + verdict.reachableAs()
                + "\"";
    return why + "; " + traffic;
  }

  String allowedMessage() {
    if (!allowed.restricted()) {
      return "namespace \"" + claim.namespace() + "\" does not restrict projects";
    }
    return "namespace \""
        + claim.namespace()
        + "\" allows projects ["
        + allowed.describe()
        + "]: every entry of spec.access is among them";
  }

  String refusedMessage() {
    List<String> refused = new ArrayList<>();
    if (grant.publicRefused()) {
      refused.add("public");
    }
    refused.addAll(grant.refusedProjects());
    String policy =
        allowed.declared()
            ? "namespace \""
                + claim.namespace()
                + "\" allows only projects ["
                + allowed.describe()
                + "] (annotation dormouse.io/allowed-projects)"
            : "namespace \""
                + claim.namespace()
                + "\" declares no projects (annotation dormouse.io/allowed-projects) and this"
                + " cluster requires it";
    return policy
        + "; refused: "
        + String.join(", ", refused)
        + (grant.allowsNone() ? "; no key may call this endpoint" : "");
  }
}
