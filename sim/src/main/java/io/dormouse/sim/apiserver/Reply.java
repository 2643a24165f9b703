package io.dormouse.sim.apiserver;

import java.nio.charset.StandardCharsets;

/** What the embedded API server answers: a whole body, or a stream that stays open. */
sealed interface Reply permits Reply.Whole, Reply.Watch, Reply.FollowLog {

  /** A complete response. */
  record Whole(int code, String contentType, byte[] body) implements Reply {

    static Whole json(int code, String json) {
      return new Whole(code, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static Whole text(int code, String text) {
      return new Whole(code, "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * A watch: the store's events on {@code storeUri}, filtered and shaped for this client.
   *
   * @param timeoutSeconds when the server ends the watch (0: never)
   */
  record Watch(String storeUri, WatchStream.Shape shape, long timeoutSeconds) implements Reply {}

  /** {@code kubectl logs -f}: what the container wrote so far, then each new line as it comes. */
  record FollowLog(PodLogs.Log log, boolean timestamps) implements Reply {}
}
