package io.dormouse.gateway.routing;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Served name → endpoint, and who may use it. Immutable: the watch builds a new table on each
 * change. When two endpoints claim one served name the oldest-named (namespace, name) wins, so
 * every gateway replica picks the same one.
 */
public final class RouteTable {

  private static final Comparator<EndpointRoute> ORDER =
      Comparator.comparing((EndpointRoute r) -> r.ref().namespace())
          .thenComparing(r -> r.ref().name());

  public static final RouteTable EMPTY = new RouteTable(List.of());

  private final Map<String, EndpointRoute> byServedName;

  public RouteTable(Collection<EndpointRoute> routes) {
    this.byServedName =
        routes.stream()
            .sorted(ORDER)
            .collect(
                Collectors.toMap(
                    EndpointRoute::servedName,
                    r -> r,
                    (first, later) -> first,
                    java.util.TreeMap::new));
  }

  /** The endpoint a project reaches by this model name; empty is a 404 model_not_found. */
  public Optional<EndpointRoute> resolve(String model, String project) {
    EndpointRoute route = byServedName.get(model);
    return route != null && route.allows(project) ? Optional.of(route) : Optional.empty();
  }

  /** The models a project may use, by served name. */
  public List<EndpointRoute> visibleTo(String project) {
    return byServedName.values().stream().filter(r -> r.allows(project)).toList();
  }
}
