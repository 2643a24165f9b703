package io.dormouse.gateway.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One retry story per refusal: never "retry in 30 s" and "do not retry" on one answer. */
class RetryStoryTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      nullValues = "~",
      value = {
        "504, wake_timeout, ~, false",
        "504, queue_timeout, ~, false",
        "503, endpoint_failed, ~, false",
        "503, queue_full, 2, ~",
        "503, shutting_down, 1, ~",
        "404, model_not_found, ~, ~",
        "401, invalid_api_key, ~, ~"
      })
  void eachRefusalTellsOneStory(int status, String code, String retryAfter, String shouldRetry) {
    Map<String, String> headers = new OpenAiError(status, "t", code, "m", null).retryHeaders();

    assertThat(headers.get("Retry-After")).isEqualTo(retryAfter);
    assertThat(headers.get("x-should-retry")).isEqualTo(shouldRetry);
    assertThat(headers.containsKey("Retry-After") && headers.containsKey("x-should-retry"))
        .isFalse();
  }
}
