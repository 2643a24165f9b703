package io.dormouse.operator.events;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;

/**
 * What one delivery attempt came to, and the words the status and the outbox keep (a status code or
 * the kind of connection failure: never a header, a body or a secret).
 */
public record Outcome(Kind kind, String detail) {

  public enum Kind {
    /** 2xx. */
    DELIVERED,
    /** 410 Gone: the receiver wants no more; the subscription is disabled. */
    GONE,
    /** Anything else: tried again later, or dead-lettered once too old. */
    FAILED,
    /** Can never be delivered as it is (larger than the body limit). */
    UNDELIVERABLE
  }

  public static Outcome ofStatus(int status) {
    if (status >= 200 && status < 300) {
      return new Outcome(Kind.DELIVERED, "HTTP " + status);
    }
    if (status == 410) {
      return new Outcome(Kind.GONE, "HTTP 410 Gone");
    }
    if (status >= 300 && status < 400) {
      return new Outcome(Kind.FAILED, "HTTP " + status + " (redirects are not followed)");
    }
    return new Outcome(Kind.FAILED, "HTTP " + status);
  }

  public static Outcome ofFailure(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null
        && !(t instanceof HttpTimeoutException)
        && !(t instanceof ConnectException)) {
      t = t.getCause();
    }
    if (t instanceof HttpConnectTimeoutException) {
      return new Outcome(Kind.FAILED, "connect timed out");
    }
    if (t instanceof HttpTimeoutException) {
      return new Outcome(Kind.FAILED, "no answer within the attempt timeout");
    }
    if (t instanceof ConnectException) {
      return new Outcome(Kind.FAILED, "connection refused");
    }
    return new Outcome(Kind.FAILED, t.getClass().getSimpleName());
  }

  public static Outcome tooLarge(int bytes, int limit) {
    return new Outcome(
        Kind.UNDELIVERABLE, "event of " + bytes + " bytes is above the " + limit + "-byte limit");
  }
}
