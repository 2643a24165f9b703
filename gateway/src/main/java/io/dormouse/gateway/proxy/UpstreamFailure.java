package io.dormouse.gateway.proxy;

import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;

/**
 * Whether a request that failed before its response began may go to another backend. Only when the
 * engine cannot have started on it, or went away without answering (an engine that stopped
 * listening because its pod is going away). A timeout is not retried: the engine may still be
 * working on it, and a retry would double the load on a slow endpoint.
 */
public final class UpstreamFailure {

  /** Where the call was when it failed. */
  public enum Stage {
    /** Getting a connection: the request was never sent. */
    CONNECTING,
    /** Sending the request or waiting for the response head. */
    AWAITING_RESPONSE
  }

  private UpstreamFailure() {}

  public static boolean retryable(Stage stage, Throwable cause) {
    if (stage == Stage.CONNECTING) {
      return true; // nothing was sent, even when the connection timed out
    }
    return !isTimeout(cause)
        && (cause instanceof HttpClosedException
            || cause instanceof ClosedChannelException
            || cause instanceof ConnectException
            || cause instanceof NoRouteToHostException
            || (cause instanceof IOException
                && cause.getMessage() != null
                && cause.getMessage().contains("reset")));
  }

  private static boolean isTimeout(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String name = t.getClass().getSimpleName();
      if (name.contains("Timeout")
          || (t.getMessage() != null && t.getMessage().contains("timeout"))) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
