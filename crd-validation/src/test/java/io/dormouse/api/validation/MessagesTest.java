package io.dormouse.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Values appear in refusals as Go prints them in Kubernetes' errors. */
class MessagesTest {

  static Stream<Arguments> renderings() {
    return Stream.of(
        Arguments.of(0, "0"),
        Arguments.of(-1L, "-1"),
        Arguments.of(1.0, "1"),
        Arguments.of(0.5, "0.5"),
        Arguments.of(new BigDecimal("2.50"), "2.5"),
        Arguments.of(true, "true"),
        Arguments.of("15 minutes", "\"15 minutes\""),
        Arguments.of("say \"hi\"\n", "\"say \\\"hi\\\"\\n\""),
        Arguments.of(Map.of("a", 1), "\"object\""),
        Arguments.of(List.of(1), "\"array\""),
        Arguments.of(null, "\"null\""));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("renderings")
  void rendersValuesAsKubernetesDoes(Object value, String expected) {
    assertThat(Messages.render(value)).isEqualTo(expected);
  }
}
