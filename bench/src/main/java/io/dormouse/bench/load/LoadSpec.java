package io.dormouse.bench.load;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One load run: where to send, what, how hard, and for how long.
 *
 * @param ratePerSecond 0 for a closed loop at {@code concurrency}; otherwise an open loop at this
 *     rate through a pool of {@code concurrency} connections
 * @param watchPid a process (with its descendants) whose CPU and memory are sampled over the
 *     measured window; 0 for none
 */
public record LoadSpec(
    String label,
    URI url,
    byte[] body,
    Map<String, String> headers,
    boolean streaming,
    int concurrency,
    double ratePerSecond,
    Duration warmup,
    Duration duration,
    long maxRequests,
    Duration requestTimeout,
    long watchPid) {

  public boolean openLoop() {
    return ratePerSecond > 0;
  }
}
