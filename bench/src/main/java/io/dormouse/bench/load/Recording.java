package io.dormouse.bench.load;

import org.HdrHistogram.Histogram;

/** What the measured requests of one run observed. Confined to the load generator's event loop. */
final class Recording {

  final Histogram latency = LatencySummary.newMicrosHistogram();
  final Histogram timeToFirstChunk = LatencySummary.newMicrosHistogram();
  final Histogram interChunkGap = LatencySummary.newMicrosHistogram();
  long ok;
  long errors;
  long events;
  long reads;
  long lastCompletionNanos;

  void completed(long intendedNanos, long endNanos, SseEventCounter stream) {
    ok++;
    latency.recordValue(micros(endNanos - intendedNanos));
    lastCompletionNanos = Math.max(lastCompletionNanos, endNanos);
    if (stream != null) {
      events += stream.events();
      reads += stream.reads();
    }
  }

  void failed(long endNanos) {
    errors++;
    lastCompletionNanos = Math.max(lastCompletionNanos, endNanos);
  }

  void firstChunk(long intendedNanos, long atNanos) {
    timeToFirstChunk.recordValue(micros(atNanos - intendedNanos));
  }

  void gap(long gapNanos) {
    interChunkGap.recordValue(micros(gapNanos));
  }

  private static long micros(long nanos) {
    return Math.max(1, nanos / 1000);
  }
}
