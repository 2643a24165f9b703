package io.dormouse.bench.targets;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.bench.load.ChatRequest;
import io.dormouse.sim.engine.Generation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LongestAnswerTest {

  @ParameterizedTest
  @CsvSource({"bench, true, 64", "bench-paced, true, 64", "bench, false, 64", "bench, true, 20"})
  void picksASeedWhoseAnswerIsAsLongAsTheEngineGives(String model, boolean stream, int max) {
    ChatRequest chosen = LongestAnswer.of(new ChatRequest(model, 1024, stream, max, 100000));
    String prompt = "user: " + chosen.content() + "\n";
    int length = Generation.plan(prompt, chosen.seed(), max).completionTokens();
    for (long other = ChatRequest.MIN_SEED; other < ChatRequest.MIN_SEED + 300; other++) {
      assertThat(length)
          .isGreaterThanOrEqualTo(Generation.plan(prompt, other, max).completionTokens());
    }
    assertThat(length).isLessThanOrEqualTo(max);
    assertThat(chosen.json()).hasSize(1024);
  }
}
