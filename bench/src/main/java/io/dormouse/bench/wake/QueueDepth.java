package io.dormouse.bench.wake;

import java.util.OptionalDouble;

/** Reads the gateway's dormouse_gateway_queue_depth of one endpoint from its /metrics text. */
public final class QueueDepth {

  private static final String METRIC = "dormouse_gateway_queue_depth{";

  private QueueDepth() {}

  public static OptionalDouble of(String metricsText, String namespace, String endpoint) {
    for (String line : metricsText.split("\n")) {
      if (line.startsWith(METRIC)
          && line.contains("endpoint=\"" + endpoint + "\"")
          && line.contains("namespace=\"" + namespace + "\"")) {
        String value = line.substring(line.lastIndexOf('}') + 1).trim().split("\\s+")[0];
        return OptionalDouble.of(Double.parseDouble(value));
      }
    }
    return OptionalDouble.empty();
  }
}
