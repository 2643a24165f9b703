package io.dormouse.gateway.stages;

import io.vertx.core.http.HttpConnection;

/**
 * The connection-level watch on clients: a body that stops arriving for too long is reported once,
 * without a timer per request. Implemented by the server's connection sweeper.
 */
public interface IdleWatch {

  /** A request body began on the connection; {@code onStall} runs if it stops arriving. */
  void bodyStarted(HttpConnection connection, Runnable onStall);

  /** Part of the body arrived. */
  void bodyProgress(HttpConnection connection);

  /** The body ended, or the request no longer reads it. */
  void bodyEnded(HttpConnection connection);

  /** For tests and tools without a sweeper. */
  IdleWatch NONE =
      new IdleWatch() {
        @Override
        public void bodyStarted(HttpConnection connection, Runnable onStall) {}

        @Override
        public void bodyProgress(HttpConnection connection) {}

        @Override
        public void bodyEnded(HttpConnection connection) {}
      };
}
