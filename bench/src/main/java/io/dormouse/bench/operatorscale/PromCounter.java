package io.dormouse.bench.operatorscale;

import java.util.OptionalDouble;

/** Sums every series of one Prometheus counter (a name, any labels) in a /metrics text. */
public final class PromCounter {

  private PromCounter() {}

  public static OptionalDouble sum(String metricsText, String name) {
    double total = 0;
    boolean found = false;
    for (String line : metricsText.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        int end = line.indexOf('}');
        String rest = (end >= 0 ? line.substring(end + 1) : line.substring(name.length())).trim();
        total += Double.parseDouble(rest.split("\\s+")[0]);
        found = true;
      }
    }
    return found ? OptionalDouble.of(total) : OptionalDouble.empty();
  }
}
