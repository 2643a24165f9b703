package io.dormouse.gateway.usage;

import java.io.ByteArrayOutputStream;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured line per request, key=value, written in batches: the request path only enqueues
 * its record; a background thread formats whatever has queued and writes it with one {@code
 * write()} per batch. Never lossy: a full queue makes the caller wait rather than drop a line.
 * Lines look like the gateway's other log lines, under the logger name {@code dormouse.access}, and
 * are written only while that logger is enabled at INFO.
 */
public final class AccessLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("dormouse.access");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);
  private static final int BATCH = 4096;

  private record Entry(long millis, RequestRecord record) {}

  private static final Entry STOP = new Entry(0, null);

  private final boolean enabled;
  private final OutputStream out;
  private final BlockingQueue<Entry> queue;
  private final Thread writer;

  /** Lines go to standard output (the container's log). */
  public static AccessLog toStdout() {
    return new AccessLog(new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out)));
  }

  public AccessLog(OutputStream out) {
    this(out, LOG.isInfoEnabled(), 16_384);
  }

  AccessLog(OutputStream out, boolean enabled, int capacity) {
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
      try {
        queue.put(e);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    List<Entry> batch = new ArrayList<>(BATCH);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    StringBuilder text = new StringBuilder(512);
    boolean stopping = false;
    while (!stopping) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch, BATCH - 1);
      for (Entry e : batch) {
        if (e == STOP) {
          stopping = true;
          continue;
        }
        text.setLength(0);
        text.append(TIME.format(Instant.ofEpochMilli(e.millis())))
            .append(" INFO  dormouse.access ")
            .append(line(e.record()))
            .append('\n');
        bytes.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
      }
      batch.clear();
      try {
        bytes.writeTo(out);
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      bytes.reset();
    }
  }

  /** Writes what is queued and stops the writer. */
  @Override
  public void close() {
    if (!enabled || !writer.isAlive()) {
      return;
    }
    try {
      queue.put(STOP);
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String line(RequestRecord r) {
    return "request method="
        + r.method()
        + " path="
        + r.path()
        + " endpoint="
        + (r.endpoint().isEmpty() ? "-" : r.namespace() + "/" + r.endpoint())
        + " project="
        + dash(r.project())
        + " key="
        + dash(r.keyId())
        + " status="
        + r.status()
        + " stream="
        + r.stream()
        + " prompt_tokens="
        + r.promptTokens()
        + " completion_tokens="
        + r.completionTokens()
        + " usage="
        + (r.usageReported() ? "reported" : "estimated")
        + " wake_wait_ms="
        + r.wakeWaitMillis()
        + " upstream_ms="
        + r.upstreamMillis()
        + " total_ms="
        + r.totalMillis()
        + " outcome="
        + r.outcome();
  }

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
