package io.dormouse.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsageTapTest {

  static final String CHUNK =
      "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n";
  static final String USAGE =
      "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":3,\"total_tokens\":14}}\n\n";
  static final String DONE = "data: [DONE]\n\n";
  static final String STREAM = CHUNK + CHUNK + CHUNK + USAGE + DONE;

  /** Feeds the bytes split at {@code at}, returns what went out. */
  private static String feedSplit(SseUsageTap tap, byte[] bytes, int at) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(tap.feed(Arrays.copyOfRange(bytes, 0, at)));
    out.writeBytes(tap.feed(Arrays.copyOfRange(bytes, at, bytes.length)));
    out.writeBytes(tap.finish());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theUsageChunkTheGatewayAskedForIsDroppedAndReadWhereverTheBytesSplit() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at <= bytes.length; at++) {
      SseUsageTap tap = new SseUsageTap(true);
      assertThat(feedSplit(tap, bytes, at)).isEqualTo(CHUNK + CHUNK + CHUNK + DONE);
      assertThat(tap.usage(99)).isEqualTo(new Usage(11, 3, true));
      assertThat(tap.sawDone()).isTrue();
    }
  }

  @Test
  void aClientThatAskedForUsageGetsTheStreamUnchanged() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    SseUsageTap tap = new SseUsageTap(false);
    assertThat(feedSplit(tap, bytes, 40)).isEqualTo(STREAM);
    assertThat(tap.usage(99)).isEqualTo(new Usage(11, 3, true));
  }

  @Test
  void eachCompleteEventGoesOutAtOnceAndAPartialOneWaits() {
    SseUsageTap tap = new SseUsageTap(true);
    assertThat(
            new String(
                tap.feed((CHUNK + "data: {\"id\"").getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8))
        .isEqualTo(CHUNK);
  }

  @Test
  void theReportedUsageWinsOverTheCountedChunks() {
    // engines may put several tokens in one chunk: three chunks, seven tokens
    String seven =
        "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7}}\n\n";
    SseUsageTap tap = new SseUsageTap(true);
    tap.feed((CHUNK + CHUNK + CHUNK + seven + DONE).getBytes(StandardCharsets.UTF_8));
    assertThat(tap.usage(99)).isEqualTo(new Usage(11, 7, true));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"prompt_tokens\":11}                           | 11 | 3",
        "{\"completion_tokens\":7}                        | 99 | 7",
        "{\"prompt_tokens\":null,\"completion_tokens\":7} | 99 | 7",
        "{\"prompt_tokens\":11,\"completion_tokens\":0}   | 11 | 0"
      })
  void whatTheUsageLeavesOutIsEstimatedOrCounted(String usage, long prompt, long completion) {
    SseUsageTap tap = new SseUsageTap(true);
    String event = "data: {\"id\":\"c\",\"choices\":[],\"usage\":" + usage + "}\n\n";
    tap.feed((CHUNK + CHUNK + CHUNK + event + DONE).getBytes(StandardCharsets.UTF_8));
    assertThat(tap.usage(99)).isEqualTo(new Usage(prompt, completion, true));
  }

  /** A chunk with content and usage at once, as vLLM's continuous_usage_stats streams them. */
  static String mixed(String content, int completion) {
    return "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
        + content
        + "\"}}],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":"
        + completion
        + "}}\n\n";
  }

  @Test
  void chunksCarryingContentAndUsageAreKeptAndTheirLatestUsageCounts() {
    String stream = mixed("two words", 2) + mixed(" and two", 4) + mixed(" more", 5);
    SseUsageTap tap = new SseUsageTap(true);
    String out = feedSplit(tap, (stream + DONE).getBytes(StandardCharsets.UTF_8), 30);
    assertThat(out).isEqualTo(stream + DONE); // they carry content: never dropped
    assertThat(tap.usage(99)).isEqualTo(new Usage(11, 5, true));

    SseUsageTap cut = new SseUsageTap(true); // cut before the end: the last report still holds
    cut.feed((mixed("two words", 2) + mixed(" and two", 4)).getBytes(StandardCharsets.UTF_8));
    assertThat(cut.usage(99)).isEqualTo(new Usage(11, 4, true));
  }

  @Test
  void aStreamCutBeforeItsUsageIsBilledOneTokenPerContentChunk() {
    SseUsageTap tap = new SseUsageTap(true);
    tap.feed((CHUNK + CHUNK).getBytes(StandardCharsets.UTF_8));
    assertThat(tap.usage(7)).isEqualTo(new Usage(7, 2, false));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}] | false",
        "[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]                      | false",
        "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]                 | false",
        "[]                                                                      | false",
        "[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]                          | true",
        "[{\"index\":0,\"text\":\"hi\"}]                                           | true",
        "[{\"index\":0,\"text\":\"\"}]                                             | false",
        "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0}]}}]              | true",
        "[{\"index\":0,\"delta\":{\"reasoning_content\":\"hm\"}}]                | true",
        "[{\"index\":0,\"delta\":{\"tool_calls\":[]}}]                         | false",
        "[{\"index\":0,\"delta\":{\"content\":[\"hi\"]}}]                      | false",
        "[{\"index\":0,\"text\":{\"a\":\"b\"},\"delta\":{\"content\":\"hi\"}}]    | true",
        "[{\"index\":0,\"delta\":{\"content\" : \"hi\"}}]                        | true",
        "[{\"index\":0,\"delta\":{},\"logprobs\":{\"content\":[{\"token\":\"x\"}]}}] | false",
        "[{\"index\":0,\"delta\":{\"content\":\"\",\"x\":\"\\\"content\\\":\\\"hi\"}}] | false"
      })
  void onlyChunksWithGeneratedOutputCountAsTokens(String choices, boolean counts) {
    SseUsageTap tap = new SseUsageTap(true);
    String event = "data: {\"id\":\"c\",\"choices\":" + choices + "}\n\n";
    assertThat(tap.feed(event.getBytes(StandardCharsets.UTF_8)))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo(event);
    assertThat(tap.usage(0).completionTokens()).isEqualTo(counts ? 1 : 0);
  }

  @Test
  void aChunkThatIsNotWholeJsonPassesThroughAndCountsNothing() {
    SseUsageTap tap = new SseUsageTap(true);
    String broken = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}],\"usage\":{\n\n";
    assertThat(tap.feed(broken.getBytes(StandardCharsets.UTF_8)))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo(broken);
    assertThat(tap.usage(7)).isEqualTo(new Usage(7, 0, false));
  }

  @Test
  void aCutStreamIsNotBilledForItsRoleOnlyFirstChunk() {
    SseUsageTap tap = new SseUsageTap(true);
    String role =
        "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n";
    tap.feed((role + CHUNK + CHUNK + CHUNK).getBytes(StandardCharsets.UTF_8));
    assertThat(tap.usage(7)).isEqualTo(new Usage(7, 3, false));
  }

  @Test
  void crlfEventsAndCommentsPassThrough() {
    SseUsageTap tap = new SseUsageTap(true);
    String text = ": keepalive\n\ndata: {\"choices\":[{\"delta\":{}}]}\n\r\n";
    assertThat(new String(tap.feed(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
        .isEqualTo(text);
  }

  static final String JSON =
      "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"a \\\"usage\\\": 5\"},\"usage\":{\"prompt_tokens\":1000}}],"
          + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":34,\"total_tokens\":46}}";

  @Test
  void theTopLevelUsageOfAJsonBodyIsReadWhereverTheBytesSplit() {
    byte[] bytes = JSON.getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at <= bytes.length; at++) {
      JsonUsageTap tap = new JsonUsageTap();
      tap.feed(Arrays.copyOfRange(bytes, 0, at));
      tap.feed(Arrays.copyOfRange(bytes, at, bytes.length));
      assertThat(tap.usage()).isEqualTo(new Usage(12, 34, true));
    }
  }

  @Test
  void aUsageObjectTooLargeToBeOneIsNotHeldNorReported() {
    JsonUsageTap tap = new JsonUsageTap();
    tap.feed("{\"usage\":{\"prompt_tokens\":1,\"pad\":\"".getBytes(StandardCharsets.UTF_8));
    tap.feed("x".repeat(70_000).getBytes(StandardCharsets.UTF_8));
    tap.feed("\",\"completion_tokens\":2}}".getBytes(StandardCharsets.UTF_8));
    assertThat(tap.usage()).isNull();
  }

  @Test
  void onlyTheEndOfALargeBodyIsLookedAt() {
    JsonUsageTap tap = new JsonUsageTap();
    tap.feed(("{\"data\":[\"" + "e".repeat(1_000_000) + "\"],").getBytes(StandardCharsets.UTF_8));
    tap.feed(
        "\"usage\":{\"prompt_tokens\":7,\"total_tokens\":7},\"model\":\"m\"}\n"
            .getBytes(StandardCharsets.UTF_8));
    assertThat(tap.usage()).isEqualTo(new Usage(7, 0, true));
  }

  @Test
  void aUsageKeyInsideAStringOrANestedObjectIsNotTheBodysUsage() {
    JsonUsageTap tap = new JsonUsageTap();
    tap.feed(
        "{\"choices\":[{\"usage\":{\"prompt_tokens\":5}}],\"text\":\"\\\"usage\\\":{\\\"prompt_tokens\\\":9}\"}"
            .getBytes(StandardCharsets.UTF_8));
    assertThat(tap.usage()).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"usage\":{\"prompt_tokens\":12}}                       | 12 | 0",
        "{\"usage\":{\"completion_tokens\":34}}                   | 0  | 34",
        "{\"usage\":{\"completion_tokens\":34,\"x\":[1,{\"a\":2}]}} | 0  | 34",
        "[{\"usage\":{\"prompt_tokens\":1}},{\"usage\":{\"prompt_tokens\":12}}] | -1 | -1",
        "{\"usage\":[{\"prompt_tokens\":12}]}                     | -1 | -1",
        "{\"usage\":{\"prompt_tokens\":\"12\"}}                   | -1 | -1",
        "{\"model\":{\"prompt_tokens\":12}}                       | -1 | -1",
        "{\"usages\":{\"prompt_tokens\":12}}                      | -1 | -1"
      })
  void onlyATopLevelUsageObjectWithNumbersIsRead(String body, long prompt, long completion) {
    JsonUsageTap tap = new JsonUsageTap();
    tap.feed(body.getBytes(StandardCharsets.UTF_8));
    assertThat(tap.usage()).isEqualTo(prompt < 0 ? null : new Usage(prompt, completion, true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "{\"error\":{\"message\":\"x\"}}", "", "<html>"})
  void bodiesWithoutUsageReportNone(String body) {
    JsonUsageTap tap = new JsonUsageTap();
    tap.feed(body.getBytes(StandardCharsets.UTF_8));
    assertThat(tap.usage()).isNull();
  }

  @Test
  void askingForUsageKeepsTheRestOfTheBody() throws Exception {
    String body = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"x\":1},\"messages\":[]}";
    String out =
        new String(
            StreamOptions.withUsage(body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    assertThat(out)
        .isEqualTo(
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"x\":1,\"include_usage\":true},\"messages\":[]}");
  }

  @Test
  void aQualifiedModelNameReachesTheEngineAsItsServedNameAndNothingElseChanges() throws Exception {
    String body = "{\"model\":\"team-a/llama\",\"messages\":[],\"x\":{\"model\":\"keep\"}}";
    assertThat(
            new String(
                StreamOptions.withModel(body.getBytes(StandardCharsets.UTF_8), "llama"),
                StandardCharsets.UTF_8))
        .isEqualTo("{\"model\":\"llama\",\"messages\":[],\"x\":{\"model\":\"keep\"}}");
    byte[] notAnObject = "[1]".getBytes(StandardCharsets.UTF_8);
    assertThat(StreamOptions.withModel(notAnObject, "llama")).isSameAs(notAnObject);
    assertThat(StreamOptions.withUsage(notAnObject)).isSameAs(notAnObject);
  }

  @Test
  void aUsageObjectStatingOnlyOneCountReportsTheOtherAsZero() {
    JsonUsageTap completionOnly = new JsonUsageTap();
    completionOnly.feed("{\"usage\":{\"completion_tokens\":9}}".getBytes(StandardCharsets.UTF_8));
    assertThat(completionOnly.usage()).isEqualTo(new Usage(0, 9, true));
    JsonUsageTap neither = new JsonUsageTap();
    neither.feed("{\"usage\":{\"total_tokens\":9}}  \n".getBytes(StandardCharsets.UTF_8));
    assertThat(neither.usage()).isNull();
    JsonUsageTap notAnObject = new JsonUsageTap();
    notAnObject.feed("{\"usage\":[1,2]}".getBytes(StandardCharsets.UTF_8));
    assertThat(notAnObject.usage()).isNull();
  }
}
