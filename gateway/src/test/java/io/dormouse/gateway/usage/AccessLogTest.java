package io.dormouse.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogTest {

  /** Collects what is written and counts the writes. */
  private static final class Sink extends ByteArrayOutputStream {
    int writes;

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes++;
      super.write(b, off, len);
    }

    List<String> lines() {
      return new String(toByteArray(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  private static RequestRecord record(int status) {
    return new RequestRecord(
        "POST",
        "/v1/chat/completions",
        "team-a",
        "llama",
        "alpha",
        "dm-abcdefgh",
        status,
        false,
        1,
        2,
        true,
        0,
        3,
        4,
        "completed",
        null);
  }

  @Test
  void linesQueuedBetweenTwoTicksAreWrittenWithOneWrite() {
    Sink sink = new Sink();
    // A tick longer than the test: the lines can only go out in at most two writes (what the
    // writer found when it started, and the rest when close() wakes it).
    AccessLog log = new AccessLog(sink, true, 16_384, 3_600_000);
    for (int i = 0; i < 1000; i++) {
      log.write(record(200 + i % 300));
    }
    log.close();
    List<String> lines = sink.lines();
    assertThat(lines).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(lines.get(i)).contains(" status=" + (200 + i % 300) + " ");
    }
    assertThat(sink.writes).isBetween(1, 2);
  }

  @Test
  void aFullQueueMakesTheCallerWaitAndLosesNoLine() {
    Sink sink = new Sink();
    // Room for 8 lines and a writer that would sleep an hour: only the full queue wakes it.
    AccessLog log = new AccessLog(sink, true, 8, 3_600_000);
    for (int i = 0; i < 100; i++) {
      log.write(record(200));
    }
    log.close();
    assertThat(sink.lines()).hasSize(100);
  }

  @Test
  void eachLineStartsWithItsUtcTimeToTheMillisecond() {
    Sink sink = new Sink();
    AccessLog log = new AccessLog(sink, true, 16, 3_600_000);
    log.write(record(200));
    log.close();
    assertThat(sink.lines())
        .singleElement()
        .asString()
        .matches(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z INFO  dormouse\\.access request"
                + " method=POST .* outcome=completed");
  }

  @Test
  void aDisabledLogWritesNothing() {
    Sink sink = new Sink();
    AccessLog log = new AccessLog(sink, false, 16, 20);
    log.write(record(200));
    log.close();
    assertThat(sink.size()).isZero();
  }

  @Test
  void oneLineNamesTheEndpointProjectKeyAndTimes() {
    String line =
        AccessLog.line(
            new RequestRecord(
                "POST",
                "/v1/chat/completions",
                "team-a",
                "llama",
                "alpha",
                "dm-abcdefgh",
                200,
                true,
                12,
                34,
                true,
                1500,
                800,
                2300,
                "completed",
                null));
    assertThat(line)
        .isEqualTo(
            "request method=POST path=/v1/chat/completions endpoint=team-a/llama project=alpha"
                + " key=dm-abcdefgh status=200 stream=true prompt_tokens=12 completion_tokens=34"
                + " usage=reported wake_wait_ms=1500 upstream_ms=800 total_ms=2300 outcome=completed");
  }

  @Test
  void requestsRefusedBeforeRoutingStillGetALine() {
    assertThat(
            AccessLog.line(
                new RequestRecord(
                    "GET",
                    "/v1/models",
                    "",
                    "",
                    "",
                    "",
                    401,
                    false,
                    0,
                    0,
                    false,
                    0,
                    0,
                    1,
                    "refused",
                    null)))
        .contains("endpoint=- project=- key=- status=401");
  }
}
