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

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"hello|1", "hello world|2", "Hello, world!|4", "''|1", "a  b\tc|3"})
  void countsPromptTokens(String text, int tokens) {
    assertThat(Generation.countTokens(text)).isEqualTo(tokens);
  }
}
