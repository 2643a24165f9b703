package io.dormouse.bench.load;

import io.dormouse.bench.proc.ProcessSampler;
import io.dormouse.bench.proc.ProcessUsage;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drives one {@link LoadSpec} on a single Vert.x event loop: a keep-alive pool sized to the
 * concurrency, closed loop (each of N workers sends again as soon as its response ends) or open
 * loop (sends on the {@link OpenLoopSchedule}, latency from the intended send time).
 */
public final class LoadRun {

  private final LoadSpec spec;
  private final Vertx vertx;
  private final HttpClient client;
  private final Recording recording = new Recording();
  private final Buffer body;
  private final ProcessSampler sampler;
  private MeasurementWindow window;
  private OpenLoopSchedule schedule;
  private long sent;
  private long inFlight;
  private boolean stopping;
  private ProcessUsage usageAtStart = ProcessUsage.NONE;
  private ProcessUsage usageAtEnd = ProcessUsage.NONE;
  private final Promise<Void> drained;

  public LoadRun(LoadSpec spec) {
    this.spec = spec;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setDefaultHost(spec.url().getHost())
                .setDefaultPort(spec.url().getPort()),
            new PoolOptions().setHttp1MaxSize(spec.concurrency()).setMaxWaitQueueSize(-1));
    this.body = Buffer.buffer(spec.body());
    this.sampler =
        spec.watchPid() > 0
            ? new ProcessSampler(spec.watchPid(), ProcessSampler.clockTicksPerSecond())
            : null;
    this.drained = Promise.promise();
  }

  /** Runs to the end of the window and the last in-flight response; returns the result. */
  public LoadResult run() throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    vertx.runOnContext(
        v -> {
          long start = System.nanoTime();
          window =
              new MeasurementWindow(
                  start, spec.warmup().toNanos(), spec.duration().toNanos(), spec.maxRequests());
          vertx.setTimer(Math.max(1, spec.warmup().toMillis()), t -> usageAtStart = sampleUsage());
          if (spec.openLoop()) {
            schedule = new OpenLoopSchedule(start, spec.ratePerSecond());
            vertx.setPeriodic(1, this::openLoopTick);
          } else {
            for (int i = 0; i < spec.concurrency(); i++) {
              sendClosed();
            }
          }
          drained.future().onComplete(x -> done.complete(null));
        });
    long bound =
        spec.warmup().plus(spec.duration()).plus(spec.requestTimeout()).toMillis() + 30_000;
    try {
      done.get(bound, TimeUnit.MILLISECONDS);
    } finally {
      client.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    return result();
  }

  private void openLoopTick(long timerId) {
    long now = System.nanoTime();
    long due = schedule.dueBy(now);
    while (sent < due && !stopping) {
      long intended = schedule.intendedNanos(sent);
      if (window.isClosed(intended)) {
        vertx.cancelTimer(timerId);
        stop(now);
        return;
      }
      send(intended);
    }
  }

  private void sendClosed() {
    long now = System.nanoTime();
    if (stopping || window.isClosed(now)) {
      stop(now);
      return;
    }
    send(now);
  }

  private void send(long intendedNanos) {
    sent++;
    inFlight++;
    boolean measured = window.admit(intendedNanos);
    SseEventCounter stream = spec.streaming() ? new SseEventCounter() : null;
    long[] lastChunk = {0};
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setURI(spec.url().getRawPath())
            .setIdleTimeout(spec.requestTimeout().toMillis());
    spec.headers().forEach(options::putHeader);
    options.putHeader("content-type", "application/json");
    client
        .request(options)
        .compose(req -> req.send(body))
        .onSuccess(
            resp -> {
              boolean good = resp.statusCode() / 100 == 2;
              resp.handler(
                  chunk -> {
                    long at = System.nanoTime();
                    if (stream != null) {
                      stream.accept(chunk.getBytes());
                      if (measured && good) {
                        if (lastChunk[0] == 0) {
                          recording.firstChunk(intendedNanos, at);
                        } else {
                          recording.gap(at - lastChunk[0]);
                        }
                      }
                    }
                    lastChunk[0] = at;
                  });
              resp.exceptionHandler(e -> finished(measured, intendedNanos, false, null));
              resp.endHandler(e -> finished(measured, intendedNanos, good, stream));
            })
        .onFailure(e -> finished(measured, intendedNanos, false, null));
  }

  private void finished(
      boolean measured, long intendedNanos, boolean good, SseEventCounter stream) {
    long end = System.nanoTime();
    inFlight--;
    if (measured) {
      if (good) {
        recording.completed(intendedNanos, end, stream);
      } else {
        recording.failed(end);
      }
    }
    if (!spec.openLoop()) {
      sendClosed();
    } else if (stopping && inFlight == 0) {
      drained.tryComplete();
    }
  }

  private void stop(long now) {
    if (!stopping) {
      stopping = true;
      usageAtEnd = sampleUsage();
    }
    if (inFlight == 0) {
      drained.tryComplete();
    }
  }

  private ProcessUsage sampleUsage() {
    return sampler == null ? ProcessUsage.NONE : sampler.sample();
  }

  private LoadResult result() {
    long measured = recording.ok + recording.errors;
    double seconds = Math.max(1e-9, (window.endNanos() - window.measureStartNanos()) / 1e9);
    double cpu = Math.max(0, usageAtEnd.cpuSeconds() - usageAtStart.cpuSeconds());
    return new LoadResult(
        spec.label(),
        spec.openLoop() ? "open" : "closed",
        spec.concurrency(),
        spec.ratePerSecond(),
        spec.streaming(),
        measured,
        recording.errors,
        seconds,
        recording.ok / seconds,
        LatencySummary.of(recording.latency),
        LatencySummary.of(recording.timeToFirstChunk),
        LatencySummary.of(recording.interChunkGap),
        recording.ok == 0 ? 0 : (double) recording.events / recording.ok,
        recording.ok == 0 ? 0 : (double) recording.reads / recording.ok,
        cpu,
        measured == 0 ? 0 : cpu * 1e6 / measured,
        cpu / seconds,
        usageAtEnd.rssMb());
  }
}
