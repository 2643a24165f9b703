package io.dormouse.gateway.http;

import io.vertx.core.http.HttpConnection;
import java.util.HashMap;
import java.util.Map;

/**
 * Closes connections that carry no request for too long: idle keep-alive connections, and clients
 * that open a connection and dribble (or never finish) a request head. A connection with a request
 * in progress — waiting for a wake, or streaming — is never idle. Lives on the event loop.
 */
final class IdleConnections {

  private static final class State {
    int active;
    long idleSince;
  }

  private final long idleNanos;
  private final Map<HttpConnection, State> connections = new HashMap<>();

  IdleConnections(long idleMillis) {
    this.idleNanos = idleMillis * 1_000_000;
  }

  void opened(HttpConnection connection) {
    State s = new State();
    s.idleSince = System.nanoTime();
    connections.put(connection, s);
    connection.closeHandler(v -> connections.remove(connection));
  }

  /** A request began on the connection. */
  void requestStarted(HttpConnection connection) {
    State s = connections.get(connection);
    if (s != null) {
      s.active++;
    }
  }

  void requestEnded(HttpConnection connection) {
    State s = connections.get(connection);
    if (s != null && s.active > 0 && --s.active == 0) {
      s.idleSince = System.nanoTime();
    }
  }

  /** Closes every connection idle for longer than the limit. */
  void sweep() {
    long now = System.nanoTime();
    for (var e : Map.copyOf(connections).entrySet()) {
      if (e.getValue().active == 0 && now - e.getValue().idleSince > idleNanos) {
        connections.remove(e.getKey());
        e.getKey().close();
      }
    }
  }
}
