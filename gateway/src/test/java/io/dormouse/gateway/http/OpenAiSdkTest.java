package io.dormouse.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.auth.ApiKeys;
import io.dormouse.gateway.testing.GatewayWorld;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK, unmodified, against the gateway. */
class OpenAiSdkTest {

  static GatewayWorld world;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    world = GatewayWorld.start();
    key = world.key("alpha");
    world.endpoint("llama", Phase.Ready, ie -> {});
    world.endpoint("tight", Phase.Ready, ie -> ie.getSpec().getLimits().setRequestsPerSecond(1));
    world.endpoint("private", Phase.Ready, ie -> {}, "beta");
    world.ready("llama");
    world.ready("tight");
    world.ready("private");
    world.awaitModel(key, "llama", Phase.Ready);
    world.awaitModel(key, "tight", Phase.Ready);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  static OpenAIClient client(String apiKey) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(world.baseUrl() + "/v1")
        .apiKey(apiKey)
        .maxRetries(0)
        .build();
  }

  static ChatCompletionCreateParams chat(String model) {
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addUserMessage("Say hello")
        .maxCompletionTokens(16)
        .build();
  }

  @Test
  void completesAChat() {
    ChatCompletion completion = client(key).chat().completions().create(chat("llama"));
    assertThat(completion.choices()).hasSize(1);
    assertThat(completion.choices().get(0).message().content())
        .hasValueSatisfying(text -> assertThat(text).isNotBlank());
    assertThat(completion.usage())
        .hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());
  }

  @Test
  void streamsAChatThatReadsAsTheWholeAnswer() {
    ChatCompletion whole = client(key).chat().completions().create(chat("llama"));
    try (StreamResponse<ChatCompletionChunk> stream =
        client(key).chat().completions().createStreaming(chat("llama"))) {
      List<ChatCompletionChunk> chunks = stream.stream().toList();
      // the role chunk, then one chunk per token; the usage chunk the gateway asked for is not
      // passed on
      assertThat(chunks).hasSize(1 + (int) whole.usage().orElseThrow().completionTokens());
      assertThat(chunks).allMatch(c -> c.usage().isEmpty() && c.choices().size() == 1);
      assertThat(
              chunks.stream()
                  .map(c -> c.choices().get(0).delta().content().orElse(""))
                  .collect(Collectors.joining()))
          .isEqualTo(whole.choices().get(0).message().content().orElseThrow());
    }
  }

  @Test
  void anUnknownKeyIsUnauthorized() {
    assertThatThrownBy(
            () -> client(ApiKeys.mint().secret()).chat().completions().create(chat("llama")))
        .isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(() -> client("sk-not-ours").chat().completions().create(chat("llama")))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void aModelTheKeyMayNotUseIsNotFound() {
    assertThatThrownBy(() -> client(key).chat().completions().create(chat("no-such-model")))
        .isInstanceOfSatisfying(
            NotFoundException.class,
            e -> {
              assertThat(e.code()).hasValue("model_not_found");
              assertThat(e.param()).hasValue("model");
              assertThat(e.type()).hasValue("invalid_request_error");
            });
    assertThatThrownBy(() -> client(key).chat().completions().create(chat("private")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void beyondTheRateLimitIsRateLimited() {
    OpenAIClient c = client(key);
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 5; i++) {
                c.chat().completions().create(chat("tight"));
              }
            })
        .isInstanceOfSatisfying(
            RateLimitException.class,
            e -> {
              assertThat(e.code()).hasValue("rate_limit_exceeded");
              assertThat(e.headers().values("Retry-After")).isNotEmpty();
              assertThat(e.headers().values("x-ratelimit-remaining-requests")).containsExactly("0");
            });
  }
}
