package io.dormouse.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatRequestTest {

  @ParameterizedTest
  @CsvSource({"bench, 1024, false", "a-much-longer-model-name, 1024, true", "m, 4096, false"})
  void isValidJsonOfExactlyTheAskedSize(String model, int bytes, boolean stream) throws Exception {
    String body = ChatRequest.body(model, bytes, stream, 64);
    assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
    JsonNode json = new ObjectMapper().readTree(body);
    assertThat(json.get("model").asText()).isEqualTo(model);
    assertThat(json.get("stream").asBoolean()).isEqualTo(stream);
    assertThat(json.get("max_tokens").asInt()).isEqualTo(64);
    assertThat(json.get("messages").get(0).get("role").asText()).isEqualTo("user");
  }

  @ParameterizedTest
  @CsvSource({"1", "10"})
  void neverTruncatesBelowTheMinimum(int bytes) throws Exception {
    String body = ChatRequest.body("bench", bytes, false, 64);
    assertThat(new ObjectMapper().readTree(body).get("messages").get(0).get("content").asText())
        .isEmpty();
  }
}
