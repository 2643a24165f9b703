package io.dormouse.gateway.routing;

import io.dormouse.api.tenancy.Claim;
import io.dormouse.api.tenancy.Grant;
import io.dormouse.api.tenancy.ProjectPolicy;
import io.dormouse.api.tenancy.ServedNames;
import io.dormouse.api.tenancy.Verdict;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code model} → endpoint, and who may use it, by the rules the operator applies too ({@link
 * ServedNames}, {@link io.dormouse.api.tenancy.AllowedProjects}): a served name belongs to the
 * endpoint that claimed it first, {@code <namespace>/<servedName>} always means that namespace's
 * endpoint, and a namespace's declared projects narrow its endpoints' access lists. Immutable: the
 * watches build a new table on each change, and every replica builds the same one.
 */
public final class RouteTable {

  public static final RouteTable EMPTY = new RouteTable(List.of(), ProjectPolicy.OPEN);

  /** A model a key may use: the name to send, and the endpoint it reaches. */
  public record Listed(String id, EndpointRoute route) {}

  private record Entry(EndpointRoute route, Grant grant, Verdict verdict) {}

  private final Map<String, Entry> byModel = new HashMap<>();
  private final Map<EndpointRef, Entry> byRef = new LinkedHashMap<>();

  public RouteTable(Collection<EndpointRoute> routes, ProjectPolicy policy) {
    Map<Claim, EndpointRoute> claims = new LinkedHashMap<>();
    for (EndpointRoute r : routes) {
      claims.put(r.claim(), r);
    }
    ServedNames names = ServedNames.of(claims.keySet());
    Map<Claim, Entry> entries = new HashMap<>();
    claims.forEach(
        (claim, r) -> {
          Entry e =
              new Entry(
                  r,
                  policy.in(r.ref().namespace()).grant(r.isPublic(), r.projects()),
                  names.verdict(claim));
          entries.put(claim, e);
          byRef.put(r.ref(), e);
        });
    names.reachable().forEach((model, claim) -> byModel.put(model, entries.get(claim)));
  }

  /** With no namespace declaring projects. */
  public RouteTable(Collection<EndpointRoute> routes) {
    this(routes, ProjectPolicy.OPEN);
  }

  /**
   * The endpoint a project reaches by this model name; empty is a 404 model_not_found. There is no
   * second guess: a name that reaches an endpoint the key may not use is not tried elsewhere.
   */
  public Optional<EndpointRoute> resolve(String model, String project) {
    Entry e = byModel.get(model);
    return e != null && e.grant().allows(project) ? Optional.of(e.route()) : Optional.empty();
  }

  /**
   * Every endpoint a project may use, once each, under the simplest name that reaches it: its
   * served name when it owns it, else its qualified name; sorted by that name.
   */
  public List<Listed> visibleTo(String project) {
    List<Listed> out = new ArrayList<>();
    for (Entry e : byRef.values()) {
      if (e.grant().allows(project) && e.verdict().reachableAs() != null) {
        out.add(new Listed(e.verdict().reachableAs(), e.route()));
      }
    }
    out.sort(Comparator.comparing(Listed::id));
    return out;
  }

  /**
   * What keeps an endpoint from serving all its spec asks for, for the log: a served name it does
   * not own, or projects its namespace refuses. Endpoints that serve as asked are absent.
   */
  public Map<EndpointRef, String> problems() {
    Map<EndpointRef, String> out = new LinkedHashMap<>();
    byRef.forEach(
        (ref, e) -> {
          List<String> parts = new ArrayList<>();
          Verdict v = e.verdict();
          if (!v.owns()) {
            parts.add(
                "served name "
                    + e.route().servedName()
                    + " goes to "
                    + v.holder().namespace()
                    + "/"
                    + v.holder().name()
                    + " ("
                    + v.standing()
                    + "); reachable as "
                    + (v.reachableAs() == null ? "nothing" : v.reachableAs()));
          }
          if (e.grant().refusesAny()) {
            List<String> refused = new ArrayList<>(e.grant().refusedProjects());
            if (e.grant().publicRefused()) {
              refused.add(0, "public");
            }
            parts.add("namespace refuses " + String.join(",", refused));
          }
          if (!parts.isEmpty()) {
            out.put(ref, String.join("; ", parts));
          }
        });
    return out;
  }
}
