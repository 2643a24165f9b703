package io.dormouse.gateway.proxy;

/** How a forwarded request ended; the value is the access log's {@code outcome}. */
public enum Outcome {
  completed,
  disconnected,
  upstream_failed
}
