package io.dormouse.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestSummaryParserTest {

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"12345678\"}]}",
            new RequestSummary("m", false, null, false, 3)),
        Arguments.of(
            "{\"messages\":[],\"stream\":true,\"model\":\"m\",\"max_tokens\":7}",
            new RequestSummary("m", true, 7, false, 0)),
        Arguments.of(
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
            new RequestSummary("m", true, null, true, 0)),
        Arguments.of(
            "{\"model\":\"m\",\"max_completion_tokens\":9,\"stream\":null,\"max_tokens\":null}",
            new RequestSummary("m", false, 9, false, 0)),
        Arguments.of(
            "{\"model\":\"m\",\"prompt\":\"abcdefgh\"}",
            new RequestSummary("m", false, null, false, 2)),
        Arguments.of(
            "{\"model\":\"m\",\"prompt\":[1,2,3]}", new RequestSummary("m", false, null, false, 3)),
        Arguments.of(
            "{\"model\":\"m\",\"input\":[\"abcd\",\"efgh\"]}",
            new RequestSummary("m", false, null, false, 2)),
        Arguments.of(
            "{\"model\":\"m\",\"tools\":[{\"a\":{\"b\":[1,2,{\"c\":null}]}}],\"temperature\":0.5}",
            new RequestSummary("m", false, null, false, 0)),
        Arguments.of("  {\"model\":\"m\"}\n", new RequestSummary("m", false, null, false, 0)));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void readsWhatRoutingNeeds(String body, RequestSummary expected) throws BadRequest {
    assertThat(RequestSummaryParser.parse(body.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(expected);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("", null),
        Arguments.of("[]", null),
        Arguments.of("\"model\"", null),
        Arguments.of("{", null),
        Arguments.of("{\"model\":\"m\"", null),
        Arguments.of("{\"model\":\"m\"}{}", null),
        Arguments.of("{\"model\":\"m\",}", null),
        Arguments.of("{model:\"m\"}", null),
        Arguments.of("{}", "model"),
        Arguments.of("{\"model\":\"\"}", "model"),
        Arguments.of("{\"model\":42}", "model"),
        Arguments.of("{\"model\":null}", "model"),
        Arguments.of("{\"model\":[\"m\"]}", "model"),
        Arguments.of("{\"model\":\"m\",\"stream\":\"yes\"}", "stream"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":\"5\"}", "max_tokens"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":-1}", "max_tokens"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":1.5}", "max_tokens"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":99999999999}", "max_tokens"),
        Arguments.of("{\"model\":\"m\",\"messages\":\"hi\"}", "messages"),
        Arguments.of("{\"model\":\"m\",\"prompt\":5}", "prompt"),
        Arguments.of("{\"model\":\"m\",\"stream_options\":true}", "stream_options"),
        Arguments.of(
            "{\"model\":\"m\",\"stream_options\":{\"include_usage\":1}}", "stream_options"),
        Arguments.of("{\"model\":\"m\",\"x\":" + "[".repeat(200) + "]".repeat(200) + "}", null),
        Arguments.of("{\"model\":\"" + "m".repeat(300) + "\"}", "model"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void refusesWhatItCannotRoute(String body, String param) {
    assertThatThrownBy(() -> RequestSummaryParser.parse(body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(BadRequest.class)
        .satisfies(e -> assertThat(((BadRequest) e).param()).isEqualTo(param));
  }
}
