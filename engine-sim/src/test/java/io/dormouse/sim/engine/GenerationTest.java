package io.dormouse.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenerationTest {

  @Test
  void theSamePromptAndSeedGiveTheSameAnswer() {
    Generation a = Generation.plan("Hello there", 7, 100);
    Generation b = Generation.plan("Hello there", 7, 100);

    assertThat(a).isEqualTo(b);
    assertThat(a.text()).isNotBlank();
  }

  @Test
  void anotherSeedOrPromptGivesAnotherAnswer() {
    Generation base = Generation.plan("Hello there", 7, 100);

    assertThat(Generation.plan("Hello there", 8, 100).text()).isNotEqualTo(base.text());
    assertThat(Generation.plan("Hello here", 7, 100).text()).isNotEqualTo(base.text());
  }

  @Test
  void maxTokensCutsTheAnswerShortWithFinishReasonLength() {
    Generation full = Generation.plan("Tell me a story", 1, 1000);
    Generation cut = Generation.plan("Tell me a story", 1, 3);

    assertThat(full.finishReason()).isEqualTo("stop");
    assertThat(full.completionTokens()).isBetween(8, 48);
    assertThat(cut.completionTokens()).isEqualTo(3);
    assertThat(cut.finishReason()).isEqualTo("length");
    assertThat(full.tokens()).startsWith(cut.tokens().toArray(String[]::new));
  }

  @ParameterizedTest(name = "max {0}, min {1}, ignore_eos {2}: {3} tokens, {4}")
  @CsvSource({
    // natural length of this prompt and seed: 12 (asserted below)
    "64,  0, false, 12, stop",
    "64, 30, false, 30, stop",
    "64,  5, false, 12, stop",
    "20, 20, false, 20, stop",
    "25, 30, false, 25, length",
    " 8, 30, false,  8, length",
    "64,  0, true,  64, length",
    "64, 30, true,  64, length",
    " 5,  0, true,   5, length",
    " 0,  0, true,   0, length"
  })
  void minTokensAndIgnoreEosMoveTheEndOfSequence(
      int max, int min, boolean ignoreEos, int tokens, String finish) {
    Generation natural = Generation.plan("Tell me a story", 37, 1000);
    Generation g = Generation.plan("Tell me a story", 37, max, min, ignoreEos);

    assertThat(natural.completionTokens()).isEqualTo(12);
    assertThat(g.completionTokens()).isEqualTo(tokens);
    assertThat(g.finishReason()).isEqualTo(finish);
    // A longer answer goes on from the natural one; a shorter one is its beginning.
    int common = Math.min(tokens, natural.completionTokens());
    assertThat(g.tokens().subList(0, common)).isEqualTo(natural.tokens().subList(0, common));
  }

  @Test
  void withoutTheExtensionsThePlanIsTheNaturalOne() {
    for (long seed = 0; seed < 200; seed++) {
      assertThat(Generation.plan("Hello there", seed, 64, 0, false))
          .isEqualTo(Generation.plan("Hello there", seed, 64));
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"hello|1", "hello world|2", "Hello, world!|4", "''|1", "a  b\tc|3"})
  void countsPromptTokens(String text, int tokens) {
    assertThat(Generation.countTokens(text)).isEqualTo(tokens);
  }
}
