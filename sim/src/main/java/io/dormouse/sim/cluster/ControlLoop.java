package io.dormouse.sim.cluster;

import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Watchable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A level-triggered controller: on any watched change, and on a resync period, it reads the current
 * state from the API server and converges it. One thread per loop, and pokes that arrive while a
 * pass is pending fold into that pass.
 */
abstract class ControlLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);

  private final String name;
  private final Duration resync;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final List<Watch> watches = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  ControlLoop(String name, Duration resync) {
    this.name = name;
    this.resync = resync;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sim-" + name);
              t.setDaemon(true);
              return t;
            });
  }

  /** One pass: observe, compare, act. Must be idempotent; a failure is retried next pass. */
  protected abstract void reconcile();

  /** Released on close, on the loop's thread. */
  protected void stop() {}

  void start() {
    executor.scheduleWithFixedDelay(
        this::poke, 0, Math.max(10, resync.toMillis()), TimeUnit.MILLISECONDS);
  }

  /** Asks for a pass soon. */
  void poke() {
    if (!closed && pending.compareAndSet(false, true)) {
      try {
        executor.execute(this::pass);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  /** Runs {@code task} on the loop's thread later, e.g. a back-off expiring. */
  void after(Duration delay, Runnable task) {
    if (!closed) {
      try {
        executor.schedule(task, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  /** Pokes the loop on every change of what {@code watchable} lists. */
  <T> void watch(Watchable<T> watchable) {
    watches.add(
        watchable.watch(
            new Watcher<T>() {
              @Override
              public void eventReceived(Action action, T resource) {
                poke();
              }

              @Override
              public void onClose(WatcherException cause) {
                // the resync keeps the loop converging while the client re-watches
                LOG.debug("{}: watch closed: {}", name, cause.getMessage());
              }
            }));
  }

  private void pass() {
    pending.set(false);
    if (closed) {
      return;
    }
    try {
      reconcile();
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.warn("{}: reconcile failed, retrying: {}", name, e.toString());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    watches.forEach(Watch::close);
    try {
      executor.submit(this::stop).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("{}: stop failed: {}", name, e.toString());
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
