package io.dormouse.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatRequestTest {

  @ParameterizedTest
  @CsvSource({
    "bench, 1024, false, true",
    "bench, 1024, true, true",
    "a-much-longer-model-name, 1024, true, true",
    "bench, 1024, false, false",
    "m, 4096, false, true"
  })
  void isValidJsonOfExactlyTheAskedSize(String model, int bytes, boolean stream, boolean ignoreEos)
      throws Exception {
    ChatRequest request = new ChatRequest(model, bytes, stream, 64, ignoreEos);
    String body = request.json();
    assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
    JsonNode json = new ObjectMapper().readTree(body);
    assertThat(json.get("model").asText()).isEqualTo(model);
    assertThat(json.get("stream").asBoolean()).isEqualTo(stream);
    assertThat(json.get("max_tokens").asInt()).isEqualTo(64);
    assertThat(json.has("ignore_eos")).isEqualTo(ignoreEos);
    assertThat(json.path("ignore_eos").asBoolean()).isEqualTo(ignoreEos);
    assertThat(json.has("seed")).isFalse();
    assertThat(json.get("messages").get(0).get("content").asText()).isEqualTo(request.content());
    assertThat(json.path("stream_options").path("include_usage").asBoolean()).isEqualTo(stream);
  }

  @ParameterizedTest
  @CsvSource({"1", "10"})
  void neverTruncatesBelowTheMinimum(int bytes) throws Exception {
    String body = new ChatRequest("bench", bytes, false, 64, true).json();
    assertThat(new ObjectMapper().readTree(body).get("messages").get(0).get("content").asText())
        .isEmpty();
  }
}
