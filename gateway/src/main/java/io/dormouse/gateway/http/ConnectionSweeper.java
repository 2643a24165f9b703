package io.dormouse.gateway.http;

import io.dormouse.gateway.stages.IdleWatch;
import io.vertx.core.http.HttpConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Idle handling at the connection level, one sweep every so often instead of timers per request. It
 * closes connections that carry no request for too long (idle keep-alive connections, and clients
 * that open a connection and dribble or never finish a request head), and reports a request body
 * that stops arriving. A connection whose request waits for a wake or streams is never idle. One
 * per event loop; used only on that loop.
 */
final class ConnectionSweeper implements IdleWatch {

  private static final class State {
    int active;
    long idleSince;
    Runnable onStall;
    long bodySince;
  }

  private final long idleNanos;
  private final long bodyNanos;
  private final Map<HttpConnection, State> connections = new HashMap<>();

  ConnectionSweeper(long idleMillis, long bodyMillis) {
    this.idleNanos = idleMillis * 1_000_000;
    this.bodyNanos = bodyMillis * 1_000_000;
  }

  /** How often to sweep: often enough to keep each limit within a quarter of itself. */
  long sweepEveryMillis() {
    return Math.max(50, Math.min(idleNanos, bodyNanos) / 4_000_000);
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
      s.onStall = null;
    }
  }

  @Override
  public void bodyStarted(HttpConnection connection, Runnable onStall) {
    State s = connections.get(connection);
    if (s != null) {
      s.onStall = onStall;
      s.bodySince = System.nanoTime();
    }
  }

  @Override
  public void bodyProgress(HttpConnection connection) {
    State s = connections.get(connection);
    if (s != null) {
      s.bodySince = System.nanoTime();
    }
  }

  @Override
  public void bodyEnded(HttpConnection connection) {
    State s = connections.get(connection);
    if (s != null) {
      s.onStall = null;
    }
  }

  /** Closes idle connections and reports stalled bodies. */
  void sweep() {
    long now = System.nanoTime();
    List<HttpConnection> idle = new ArrayList<>();
    List<Runnable> stalled = new ArrayList<>();
    connections.forEach(
        (c, s) -> {
          if (s.active == 0 && now - s.idleSince > idleNanos) {
            idle.add(c);
          } else if (s.onStall != null && now - s.bodySince > bodyNanos) {
            stalled.add(s.onStall);
            s.onStall = null;
          }
        });
    for (HttpConnection c : idle) {
      connections.remove(c);
      c.close();
    }
    stalled.forEach(Runnable::run);
  }
}
