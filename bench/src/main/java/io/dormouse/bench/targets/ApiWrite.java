package io.dormouse.bench.targets;

/** One write the mock API server received: when (System.nanoTime), what and where. */
public record ApiWrite(long atNanos, String method, String path) {

  public boolean isTo(String resourcePlural, String name) {
    String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    return p.contains("/" + resourcePlural + "/" + name) || p.endsWith("/" + resourcePlural);
  }
}
