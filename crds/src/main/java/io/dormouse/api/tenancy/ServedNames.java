package io.dormouse.api.tenancy;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Served names are one cluster-wide space. The endpoint that claimed a name first (its creation
 * time, then its uid) owns it; a later claimant never gets that name's traffic. Every endpoint can
 * also be called by its qualified name {@code <namespace>/<servedName>}, which always means that
 * namespace's first claim of the name, whoever owns the bare name; so a served name that reads as
 * some other endpoint's qualified name is shadowed by it.
 *
 * <p>Immutable, and a pure function of the claims: the operator and every gateway replica build it
 * from the endpoints they watch and reach the same verdicts.
 */
public final class ServedNames {

  public static final ServedNames EMPTY = of(List.of());

  private final Map<String, Claim> ownerOf = new HashMap<>();
  private final Map<String, Claim> firstInNamespace = new HashMap<>();
  private final Map<String, Claim> byModel = new HashMap<>();

  private ServedNames(Collection<Claim> claims) {
    for (Claim c : claims.stream().sorted(Claim.FIRST_CLAIMED).toList()) {
      ownerOf.putIfAbsent(c.servedName(), c);
      firstInNamespace.putIfAbsent(c.qualifiedName(), c);
    }
    // Qualified names are never bare served names of owners (those would be shadowed), so the
    // two kinds of key cannot collide.
    byModel.putAll(firstInNamespace);
    for (Claim c : claims) {
      if (verdict(c).owns()) {
        byModel.put(c.servedName(), c);
      }
    }
  }

  /** The rule over these claims; an endpoint should appear once. */
  public static ServedNames of(Collection<Claim> claims) {
    return new ServedNames(claims);
  }

  /**
   * The endpoint a request's {@code model} reaches, if any: the namespace's first claim for a
   * qualified name, else the owner of the bare name. Whether the caller's key may use it is not
   * this rule's business.
   */
  public Optional<Claim> resolve(String model) {
    return Optional.ofNullable(byModel.get(model));
  }

  /** Every {@code model} value that reaches an endpoint, each with that endpoint. */
  public Map<String, Claim> reachable() {
    return Map.copyOf(byModel);
  }

  /** The verdict on one of the claims this was built from. */
  public Verdict verdict(Claim claim) {
    Claim first = firstInNamespace.get(claim.qualifiedName());
    String qualified = first != null && first.sameEndpoint(claim) ? claim.qualifiedName() : null;
    Claim shadow = qualifiedTarget(claim.servedName());
    if (shadow != null && !shadow.sameEndpoint(claim)) {
      return new Verdict(Verdict.Standing.SHADOWED, shadow, qualified);
    }
    Claim owner = ownerOf.get(claim.servedName());
    if (owner == null || owner.sameEndpoint(claim)) {
      return new Verdict(Verdict.Standing.OWNS, claim, claim.servedName());
    }
    return new Verdict(Verdict.Standing.CONFLICT, owner, qualified);
  }

  /** The endpoint a name means when read as {@code <namespace>/<servedName>}, if one serves it. */
  private Claim qualifiedTarget(String name) {
    int slash = name.indexOf('/');
    return slash <= 0 ? null : firstInNamespace.get(name);
  }
}
