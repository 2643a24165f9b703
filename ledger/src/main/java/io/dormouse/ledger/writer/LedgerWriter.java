package io.dormouse.ledger.writer;

import io.dormouse.ledger.LedgerMetrics;
import io.dormouse.ledger.rows.LedgerRow;
import io.dormouse.ledger.spool.Spool;
import io.dormouse.ledger.store.DatabaseDown;
import io.dormouse.ledger.store.RowStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes rows from any thread without ever waiting, and stores them from a thread of its own.
 *
 * <p>{@link #offer} puts a row in a bounded memory buffer. The writer's thread takes what has
 * gathered at least every {@code flushInterval} and writes it as one batch. While the database is
 * down, slow or still behind, batches are appended to the fsynced spool instead, and the spool is
 * replayed in order, a chunk between batches, once the database is back; new rows keep going to the
 * spool until it is empty, so rows reach the database in the order they came. Either way a row is
 * durable (database or spool) about a flush interval plus one write deadline after {@code offer}.
 * {@link #close} writes or spools everything left.
 */
public final class LedgerWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerWriter.class);

  private final ArrayBlockingQueue<LedgerRow> queue;
  private final Spool spool;
  private final RowStore store;
  private final DatabaseGate gate;
  private final LedgerMetrics metrics;
  private final Duration flushInterval;
  private final int batchSize;
  private final Thread thread;
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong spooled = new AtomicLong();
  private final AtomicLong droppedSinceLog = new AtomicLong();
  private volatile boolean closing;
  private long lastDropLog;

  /**
   * @param spool null when no spool could be opened: rows then wait in memory only
   */
  public LedgerWriter(
      int capacity,
      int batchSize,
      Duration flushInterval,
      Spool spool,
      RowStore store,
      DatabaseGate gate,
      LedgerMetrics metrics) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.batchSize = batchSize;
    this.flushInterval = flushInterval;
    this.spool = spool;
    this.store = store;
    this.gate = gate;
    this.metrics = metrics;
    this.spooled.set(spool == null ? 0 : spool.rows());
    this.thread = new Thread(this::run, "ledger-writer");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /**
   * Hands a row to the writer; never blocks. False when the row could not be taken: the memory
   * buffer is full (the database and the spool are both behind) or the writer is closed. Such a row
   * is counted as dropped.
   */
  public boolean offer(LedgerRow row) {
    if (!closing && queue.offer(row)) {
      return true;
    }
    metrics.dropped(1);
    droppedSinceLog.incrementAndGet();
    return false;
  }

  /** Rows taken but not yet in the database: in memory and in the spool. */
  public long pending() {
    return queue.size() + held.get() + spooled.get();
  }

  /** Rows waiting in the spool. */
  public long spooled() {
    return spooled.get();
  }

  private void run() {
    List<LedgerRow> batch = new ArrayList<>(batchSize);
    while (true) {
      boolean last = closing;
      try {
        if (batch.isEmpty()) {
          boolean replayDue = spool != null && !spool.isEmpty() && gate.up();
          LedgerRow first =
              replayDue || last
                  ? queue.poll()
                  : queue.poll(flushInterval.toMillis(), TimeUnit.MILLISECONDS);
          if (first != null) {
            batch.add(first);
          }
        }
        if (batch.size() < batchSize) {
          queue.drainTo(batch, batchSize - batch.size());
        }
        if (!batch.isEmpty() && deliver(batch)) {
          batch = new ArrayList<>(batchSize);
          held.set(0);
        } else if (!batch.isEmpty()) {
          held.set(batch.size());
          pause();
        }
        replayChunk();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        last = true;
      } catch (RuntimeException e) {
        LOG.error("ledger writer: unexpected error; carrying on", e);
      }
      logDrops();
      if (last && queue.isEmpty() && batch.isEmpty()) {
        return;
      }
      if (last && !batch.isEmpty() && (spool == null || !gate.up())) {
        LOG.error(
            "ledger writer: {} rows could be neither written nor spooled at shutdown",
            batch.size() + queue.size());
        return;
      }
    }
  }

  /** Writes or spools one batch; false when neither worked (the rows are kept for later). */
  private boolean deliver(List<LedgerRow> batch) {
    if ((spool == null || spool.isEmpty()) && gate.up()) {
      try {
        record(store.write(batch));
        return true;
      } catch (DatabaseDown e) {
        gate.down(e);
      }
    }
    if (spool == null) {
      return false;
    }
    try {
      spool.append(batch);
      spooled.set(spool.rows());
      metrics.spooled(batch.size());
      return true;
    } catch (IOException e) {
      LOG.error("ledger writer: cannot spool {} rows to disk: {}", batch.size(), e.toString());
      return false;
    }
  }

  private void replayChunk() {
    if (spool == null || spool.isEmpty() || !gate.up()) {
      return;
    }
    try {
      Spool.Chunk chunk = spool.peek(batchSize);
      if (!chunk.rows().isEmpty()) {
        record(store.write(chunk.rows()));
      }
      spool.commit(chunk);
      spooled.set(spool.rows());
      if (spool.isEmpty()) {
        LOG.info("ledger writer: the spool is replayed; writing directly again");
      }
    } catch (DatabaseDown e) {
      gate.down(e);
    } catch (IOException e) {
      LOG.error("ledger writer: cannot read the spool: {}", e.toString());
    }
  }

  private void record(RowStore.Result result) {
    if (result.written() > 0) {
      metrics.written(result.written());
    }
    if (result.refused() > 0) {
      metrics.refused(result.refused());
    }
  }

  private void pause() throws InterruptedException {
    if (!closing) {
      Thread.sleep(flushInterval.toMillis());
    }
  }

  private void logDrops() {
    long now = System.nanoTime();
    if (droppedSinceLog.get() > 0 && now - lastDropLog > TimeUnit.SECONDS.toNanos(10)) {
      lastDropLog = now;
      LOG.error(
          "ledger writer: dropped {} rows: the memory buffer of {} was full",
          droppedSinceLog.getAndSet(0),
          queue.remainingCapacity() + queue.size());
    }
  }

  /** Stops taking rows; writes or spools everything taken, waiting at most {@code timeout}. */
  public void close(Duration timeout) {
    closing = true;
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.error("ledger writer: still busy after {}; {} rows pending", timeout, pending());
    }
    if (spool != null && !thread.isAlive()) {
      try {
        spool.close();
      } catch (IOException e) {
        LOG.warn("ledger writer: closing the spool: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
