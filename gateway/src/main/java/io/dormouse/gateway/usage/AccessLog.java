package io.dormouse.gateway.usage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One structured line per request, key=value, under the logger {@code dormouse.access}. */
public final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("dormouse.access");

  private AccessLog() {}

  public static void write(RequestRecord r) {
    if (LOG.isInfoEnabled()) {
      LOG.info(line(r));
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
