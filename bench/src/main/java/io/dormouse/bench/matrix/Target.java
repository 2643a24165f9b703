package io.dormouse.bench.matrix;

/** The paths the same load is sent through. */
public enum Target {
  /** (a) straight to the engine simulator. */
  DIRECT("direct"),
  /** (b) through the Dormouse gateway with keys, rate limits and usage accounting on. */
  GATEWAY("gateway"),
  /**
   * (b') the same gateway writing one ledger row per request to PostgreSQL: paired with (b), what
   * the ledger costs on the request path.
   */
  GATEWAY_LEDGER("gateway-ledger"),
  /** (c) through nginx as a plain reverse proxy, one worker. */
  NGINX("nginx"),
  /** (d) the same nginx with {@code worker_processes auto}: one worker per core, as the gateway. */
  NGINX_AUTO("nginx-auto");

  private final String label;

  Target(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
