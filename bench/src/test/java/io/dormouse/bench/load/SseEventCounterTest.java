package io.dormouse.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SseEventCounterTest {

  static Stream<Arguments> reads() {
    String two = "data: {\"a\":1}\n\ndata: {\"a\":2}\n\n";
    return Stream.of(
        Arguments.of("one event per read", List.of("data: 1\n\n", "data: 2\n\n"), 2, 2),
        Arguments.of("two events coalesced in one read", List.of(two), 2, 1),
        Arguments.of(
            "terminator split across reads", List.of("data: 1\n", "\ndata: 2\n", "\n"), 2, 3),
        Arguments.of("CRLF line ends", List.of("data: 1\r\n\r\ndata: [DONE]\r\n\r\n"), 2, 1),
        Arguments.of("an event cut mid-way", List.of("data: 1\n\ndata: 2"), 1, 1),
        Arguments.of("empty reads do not count", List.of("", "data: 1\n\n"), 1, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reads")
  void countsEventsWhateverTheReadBoundaries(
      String name, List<String> chunks, int events, int reads) {
    SseEventCounter counter = new SseEventCounter();
    chunks.forEach(c -> counter.accept(c.getBytes(StandardCharsets.UTF_8)));
    assertThat(counter.events()).isEqualTo(events);
    assertThat(counter.reads()).isEqualTo(reads);
  }
}
