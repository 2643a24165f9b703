package io.dormouse.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * Closes a connection whose request was answered before its body was read (a 413, or any early
 * refusal) the way nginx's lingering close does: the rest of the body is read and discarded first,
 * up to a number of bytes, for at most a while, and only while data keeps arriving (a pause longer
 * than {@link #IDLE_MILLIS} ends it, as Apache's lingering close does), so that a client still
 * sending reads the answer instead of a connection reset.
 */
final class LingeringClose {

  /** The longest pause between two reads of a lingering body. */
  static final long IDLE_MILLIS = 2000;

  private final Vertx vertx;
  private final long maxBytes;
  private final long maxMillis;

  LingeringClose(Vertx vertx, long maxBytes, long maxMillis) {
    this.vertx = vertx;
    this.maxBytes = maxBytes;
    this.maxMillis = maxMillis;
  }

  void close(HttpServerRequest request) {
    var connection = request.connection();
    if (request.isEnded()) {
      request.response().endHandler(v -> connection.close());
      if (request.response().ended()) {
        connection.close();
      }
      return;
    }
    long[] read = {0};
    long started = System.nanoTime();
    long[] lastRead = {started};
    long[] timer = {-1};
    Runnable done =
        () -> {
          vertx.cancelTimer(timer[0]);
          connection.close();
        };
    timer[0] =
        vertx.setPeriodic(
            Math.min(250, IDLE_MILLIS),
            id -> {
              long now = System.nanoTime();
              if (now - lastRead[0] > IDLE_MILLIS * 1_000_000
                  || now - started > maxMillis * 1_000_000) {
                done.run();
              }
            });
    request.handler(
        chunk -> {
          lastRead[0] = System.nanoTime();
          read[0] += chunk.length();
          if (read[0] > maxBytes) {
            done.run();
          }
        });
    request.endHandler(v -> done.run());
    request.exceptionHandler(e -> done.run());
    request.resume();
  }
}
