package io.dormouse.gateway.usage;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids unique across gateway replicas and restarts without asking anyone: a random 64-bit
 * prefix drawn once per process, then a counter. Cheaper per request than a random UUID, and the
 * usage table's key, so a replayed row is stored once and two requests never share one.
 */
public final class RequestIds {

  private final String prefix;
  private final AtomicLong next = new AtomicLong();

  public RequestIds() {
    this(new SecureRandom().nextLong());
  }

  RequestIds(long seed) {
    this.prefix = Long.toUnsignedString(seed, 36) + "-";
  }

  public String next() {
    return prefix + Long.toString(next.incrementAndGet(), 36);
  }
}
