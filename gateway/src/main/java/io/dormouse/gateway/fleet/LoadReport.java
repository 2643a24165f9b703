package io.dormouse.gateway.fleet;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the operator's autoscaler reads from each gateway replica ({@code GET /load/v1} on the
 * management port): per endpoint, the requests in flight or waiting for a backend right now. An
 * endpoint at zero is left out; a reader takes a missing endpoint as zero.
 */
public final class LoadReport {

  public static final String PATH = "/load/v1";

  private LoadReport() {}

  /** {@code {"endpoints": {"<namespace>/<name>": <in flight + waiting>, ...}}} */
  public static String json(Fleet fleet) {
    Map<String, Integer> load = new TreeMap<>();
    fleet
        .allTraffic()
        .forEach(
            (ref, traffic) -> {
              int demand = traffic.load().demand();
              if (demand > 0) {
                load.put(ref.namespace() + "/" + ref.name(), demand);
              }
            });
    return new JsonObject().put("endpoints", new JsonObject(Map.copyOf(load))).encode();
  }
}
