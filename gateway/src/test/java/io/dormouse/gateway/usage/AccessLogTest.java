package io.dormouse.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessLogTest {

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
