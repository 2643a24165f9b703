package io.dormouse.bench.load;

/**
 * Counts server-sent events ({@code data:} blocks ended by a blank line) across network reads,
 * whatever the read boundaries. Comparing events to reads tells whether a proxy coalesced chunks.
 */
public final class SseEventCounter {

  private int events;
  private int reads;
  private byte previous;
  private byte beforePrevious;

  /** Feeds one network read of the response body. */
  public void accept(byte[] bytes) {
    if (bytes.length == 0) {
      return;
    }
    reads++;
    for (byte b : bytes) {
      if (b == '\n' && (previous == '\n' || (previous == '\r' && beforePrevious == '\n'))) {
        events++;
      }
      beforePrevious = previous;
      previous = b;
    }
  }

  public int events() {
    return events;
  }

  public int reads() {
    return reads;
  }
}
