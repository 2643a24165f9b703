package io.dormouse.gateway.usage;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured line per request, key=value, written in batches: the request path only enqueues
 * its record; a background thread wakes every {@link #FLUSH_EVERY_MILLIS} ms, formats whatever has
 * queued and writes it with one {@code write()} per batch. Producers never wake the writer (a
 * wake-up per line cost a futex call on the event loop and a context switch on the writer, more
 * than the line itself), except when the queue is full. Never lossy: a full queue makes the caller
 * wait rather than drop a line. Lines look like the gateway's other log lines, under the logger
 * name {@code dormouse.access}, and are written only while that logger is enabled at INFO.
 */
public final class AccessLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("dormouse.access");
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final int BATCH = 4096;

  /** How long a line may wait in the queue: the writer's sleep between batches. */
  static final long FLUSH_EVERY_MILLIS = 20;

  private final long flushEveryNanos;

  private record Entry(long millis, RequestRecord record) {}

  private final boolean enabled;
  private final OutputStream out;
  private final BlockingQueue<Entry> queue;
  private final Thread writer;
  private volatile boolean stopping;

  /** Lines go to standard output (the container's log). */
  public static AccessLog toStdout() {
    return new AccessLog(new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out)));
  }

  public AccessLog(OutputStream out) {
    this(out, LOG.isInfoEnabled(), 16_384);
  }

  AccessLog(OutputStream out, boolean enabled, int capacity) {
    this(out, enabled, capacity, FLUSH_EVERY_MILLIS);
  }

  AccessLog(OutputStream out, boolean enabled, int capacity, long flushEveryMillis) {
    this.flushEveryNanos = flushEveryMillis * 1_000_000;
    this.enabled = enabled;
    this.out = out;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = new Thread(this::run, "dormouse-access-log");
    writer.setDaemon(true);
    if (enabled) {
      writer.start();
    }
  }

  /** Queues the line of a finished request; waits only when the writer is far behind. */
  public void write(RequestRecord r) {
    if (!enabled) {
      return;
    }
    Entry e = new Entry(System.currentTimeMillis(), r);
    if (!queue.offer(e)) {
      LockSupport.unpark(writer); // full: write now rather than at the next tick
      try {
        queue.put(e);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    List<Entry> batch = new ArrayList<>(BATCH);
    StringBuilder text = new StringBuilder(64 * 1024);
    Timestamps time = new Timestamps();
    while (true) {
      boolean last = stopping; // read before draining: whatever was queued before close() is seen
      queue.drainTo(batch, BATCH);
      if (batch.isEmpty()) {
        if (last) {
          return;
        }
        LockSupport.parkNanos(this, flushEveryNanos);
        continue;
      }
      for (Entry e : batch) {
        time.append(text, e.millis());
        text.append(" INFO  dormouse.access ");
        line(text, e.record());
        text.append('\n');
      }
      batch.clear();
      try {
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (text.capacity() > 1024 * 1024) {
        text = new StringBuilder(64 * 1024); // a burst's buffer is not kept
      } else {
        text.setLength(0);
      }
    }
  }

  /** Writes what is queued and stops the writer. */
  @Override
  public void close() {
    if (!enabled || !writer.isAlive()) {
      return;
    }
    stopping = true;
    LockSupport.unpark(writer);
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** ISO-8601 UTC with milliseconds; the part up to the second is formatted once per second. */
  private static final class Timestamps {
    private long second = Long.MIN_VALUE;
    private String prefix;

    void append(StringBuilder text, long millis) {
      long s = Math.floorDiv(millis, 1000);
      if (s != second) {
        second = s;
        prefix = SECOND.format(Instant.ofEpochSecond(s));
      }
      int ms = (int) Math.floorMod(millis, 1000);
      text.append(prefix).append('.');
      if (ms < 100) {
        text.append('0');
      }
      if (ms < 10) {
        text.append('0');
      }
      text.append(ms).append('Z');
    }
  }

  static String line(RequestRecord r) {
    StringBuilder text = new StringBuilder(256);
    line(text, r);
    return text.toString();
  }

  private static void line(StringBuilder text, RequestRecord r) {
    text.append("request method=")
        .append(r.method())
        .append(" path=")
        .append(r.path())
        .append(" endpoint=");
    if (r.endpoint().isEmpty()) {
      text.append('-');
    } else {
      text.append(r.namespace()).append('/').append(r.endpoint());
    }
    text.append(" project=")
        .append(dash(r.project()))
        .append(" key=")
        .append(dash(r.keyId()))
        .append(" status=")
        .append(r.status())
        .append(" stream=")
        .append(r.stream())
        .append(" prompt_tokens=")
        .append(r.promptTokens())
        .append(" completion_tokens=")
        .append(r.completionTokens())
        .append(" usage=")
        .append(r.usageReported() ? "reported" : "estimated")
        .append(" wake_wait_ms=")
        .append(r.wakeWaitMillis())
        .append(" upstream_ms=")
        .append(r.upstreamMillis())
        .append(" total_ms=")
        .append(r.totalMillis())
        .append(" outcome=")
        .append(r.outcome());
  }

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
