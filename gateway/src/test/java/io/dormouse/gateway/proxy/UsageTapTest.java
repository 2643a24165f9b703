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

  // --- malformed and cut input, byte by byte ---

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // the tail was cut exactly at the key: it is still the top level
        "\"usage\":{\"prompt_tokens\":5}}                                 | 5  | 0",
        // no opening quote before the key: nothing is read
        "usage\":{\"prompt_tokens\":5}}                                   | -1 | -1",
        "xusage\":{\"prompt_tokens\":5}}                                  | -1 | -1",
        // cut just after a backslash: the quote is escaped, so no key starts there
        "\\\"usage\":{\"prompt_tokens\":5}}                                | -1 | -1",
        "{\"usagex\":{\"prompt_tokens\":5}}                               | -1 | -1",
        "{\"xusage\":{\"prompt_tokens\":5}}                               | -1 | -1",
        "{\"usage\"x{\"prompt_tokens\":5}}                                | -1 | -1",
        "{\"usage\":x{\"prompt_tokens\":5}}                               | -1 | -1",
        "{\"usage\"}                                                      | -1 | -1",
        "{\"usage\":}                                                     | -1 | -1",
        "{\"usage\" \\t\\r\\n: \\t\\r\\n{\"prompt_tokens\":5}}                  | 5  | 0",
        "{\"usage\":{\"prompt_tokens\":3}} \\r\\n\\t                         | 3  | 0",
        // an array after the usage object is counted and uncounted on the way back
        "{\"usage\":{\"prompt_tokens\":7},\"a\":[1]}                      | 7  | 0",
        "{\"usage\":{\"prompt_tokens\":7},\"a\":[{\"usage\":{\"prompt_tokens\":9}}]} | 7 | 0",
        "{\"usage\":{\"prompt_tokens\":7},\"a\":{\"usage\":{\"prompt_tokens\":9}}} | 7 | 0",
        // escaped quotes inside a later string do not end it
        "{\"usage\":{\"prompt_tokens\":7},\"n\":\"say \\\"usage\\\":{\\\"prompt_tokens\\\":9}\"} | 7 | 0",
        "{\"usage\":{\"prompt_tokens\":7},\"p\":\"C:\\\\\"}                | 7  | 0",
        // the usage object itself must parse, with whole numbers
        "{\"usage\":{\"prompt_tokens\":5.5}}                              | -1 | -1",
        "{\"usage\":{\"prompt_tokens\":5,}}                               | -1 | -1",
        "{\"usage\":{}}                                                   | -1 | -1",
        "{\"usage\":{\"prompt_tokens\":null,\"completion_tokens\":6}}     | 0  | 6",
        "{\"usage\":{\"completion_tokens\":6,\"prompt_tokens\":8}}        | 8  | 6",
        // not ending in an object
        "}                                                                | -1 | -1",
        "]                                                                | -1 | -1",
        "{\"usage\":{\"prompt_tokens\":5}}]                               | -1 | -1",
        // the top level never closed: the usage object's brace is taken as the end
        "{\"usage\":{\"prompt_tokens\":5}                                 | -1 | -1",
      })
  void malformedAndCutBodiesAreReadOnlyWhereTheTopLevelUsageIsClear(
      String body, long prompt, long completion) {
    body = unescape(body);
    Usage want = prompt < 0 ? null : new Usage(prompt, completion, true);
    assertThat(JsonUsageTap.find(body.getBytes(StandardCharsets.UTF_8))).isEqualTo(want);
    JsonUsageTap tap = new JsonUsageTap();
    tap.feed(body.getBytes(StandardCharsets.UTF_8));
    assertThat(tap.usage()).isEqualTo(want);
    assertThat(tap.usage()).as("asked again").isEqualTo(want);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n", "  \t\r\n"})
  void aBlankBodyHasNoUsage(String body) {
    assertThat(JsonUsageTap.find(body.getBytes(StandardCharsets.UTF_8))).isNull();
  }

  @Test
  void aUsageObjectSpreadOverChunksAtTheTailsCutIsReassembledInOrder() {
    // 30 KiB + 30 KiB + 10 KiB: the first chunk is only partly inside the 64 KiB tail
    String a = "{\"pad\":\"" + "a".repeat(30 * 1024) + "\",";
    String b = "\"usage\":{\"prompt_tokens\":5,\"pad\":\"" + "b".repeat(30 * 1024);
    String c = "c".repeat(10 * 1024) + "\",\"completion_tokens\":6}}";
    JsonUsageTap tap = new JsonUsageTap();
    tap.feed(a.getBytes(StandardCharsets.UTF_8));
    tap.feed(b.getBytes(StandardCharsets.UTF_8));
    tap.feed(c.getBytes(StandardCharsets.UTF_8));
    assertThat(tap.usage()).isEqualTo(new Usage(5, 6, true));
    // many small chunks: the old ones are let go, the last 64 KiB still hold the usage
    JsonUsageTap many = new JsonUsageTap();
    many.feed("{\"pad\":[".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 200; i++) {
      many.feed(("\"" + "x".repeat(1000) + "\",").getBytes(StandardCharsets.UTF_8));
    }
    many.feed("1],\"usage\":{\"prompt_tokens\":4}}".getBytes(StandardCharsets.UTF_8));
    assertThat(many.usage()).isEqualTo(new Usage(4, 0, true));
  }

  /** CSV rows spell control characters as \\n, \\r, \\t, \\f (a real one would end the row). */
  private static String unescape(String s) {
    return s.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t").replace("\\f", "\f");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "scan({0}) = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"usage\":{}}                      | 1",
        "{\"usage\" : null}                  | 1",
        "{\"usage\"}                         | 0",
        "{\"usage\":                         | 0",
        "{\"usage\"                          | 0",
        "{\"content\":\"a\"}                 | 2",
        "{\"content\" \\t:\\n \"a\"}           | 2",
        "{\"content\":\"\"}                  | 0",
        "{\"content\":null}                  | 0",
        "{\"content\":\"                     | 0",
        "{\"contents\":\"a\"}                | 0",
        "{\"x\":\"content\"}                 | 0",
        "{\"text\":\"a\"}                    | 2",
        "{\"reasoning_content\":\"a\"}       | 2",
        "{\"tool_calls\":[]}                 | 0",
        "{\"tool_calls\":[ \\n]}              | 0",
        "{\"tool_calls\":[{}]}               | 2",
        "{\"tool_calls\":[ {}]}              | 2",
        "{\"tool_calls\":null}               | 0",
        "{\"tool_calls\":[                   | 0",
        "{\"x\":\"\\\"content\\\":\\\"a\\\"\"} | 0",
        "{\"content\":\"a\",\"usage\":{}}    | 3",
        "{\"usage\":{},\"content\":\"a\"}    | 3",
        "{\"usage\":{\"text\":\"a\"}}        | 3",
      })
  void scanFindsTheUsageKeyAndGeneratedOutput(String json, int facts) {
    json = unescape(json);
    assertThat(SseUsageTap.scan(bytes(json), 0, json.length())).isEqualTo(facts);
    // the same inside a larger buffer
    byte[] framed = bytes("xx" + json + "\"content\":\"z\"");
    assertThat(SseUsageTap.scan(framed, 2, 2 + json.length())).isEqualTo(facts);
  }

  @Test
  void aUsageOnlyChunkBetweenOthersIsCutOutOfTheSameRead() {
    SseUsageTap tap = new SseUsageTap(true);
    assertThat(text(tap.feed(bytes(CHUNK + USAGE + CHUNK + "data: {\"cho"))))
        .isEqualTo(CHUNK + CHUNK);
    assertThat(text(tap.feed(bytes("ices\":[]}\n\n" + USAGE))))
        .isEqualTo("data: {\"choices\":[]}\n\n");
    assertThat(tap.usage(0)).isEqualTo(new Usage(11, 3, true));
    SseUsageTap first = new SseUsageTap(true);
    assertThat(text(first.feed(bytes(USAGE + CHUNK)))).isEqualTo(CHUNK);
    // whole events that all go out: the same array, not a copy
    byte[] whole = bytes(CHUNK + CHUNK);
    assertThat(new SseUsageTap(true).feed(whole)).isSameAs(whole);
    assertThat(new SseUsageTap(false).feed(whole)).isSameAs(whole);
  }

  @Test
  void anEventEndingInNewlineCarriageReturnNewlineWaitsForItsLastByte() {
    SseUsageTap tap = new SseUsageTap(true);
    assertThat(tap.feed(bytes("data: {\"choices\":[]}\n\r"))).isEmpty();
    assertThat(text(tap.feed(bytes("\n")))).isEqualTo("data: {\"choices\":[]}\n\r\n");
    SseUsageTap cr = new SseUsageTap(true);
    String usage = USAGE.replace("\n\n", "\r\n\r\n");
    assertThat(cr.feed(bytes(usage + DONE))).asString(StandardCharsets.UTF_8).isEqualTo(DONE);
    assertThat(cr.usage(0)).isEqualTo(new Usage(11, 3, true));
    assertThat(cr.sawDone()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // data split over lines, with and without the space, other fields around it
        "data:{\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}\\n\\n | true | 4 | 2",
        "event: x\\ndata: {\"choices\":[],\\ndata: \"usage\":{\"prompt_tokens\":4,\\ndata:\"completion_tokens\":2}}\\nid: 1\\n\\n | true | 4 | 2",
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}\\r\\n: note\\r\\n\\r\\n | true | 4 | 2",
        "data: \\t {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}} \\t\\f\\n\\n | true | 4 | 2",
        // a chunk that has choices is never dropped
        "data: {\"choices\":[1],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}\\n\\n | false | 4 | 2",
        // not a usage object, not one object, not all JSON: passes and says nothing
        "data: {\"choices\":[],\"usage\":null}\\n\\n                                     | false | -1 | 0",
        "data: \"usage\": 1\\n\\n                                                          | false | -1 | 0",
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4}} {\"x\":1}\\n\\n           | false | -1 | 0",
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4}}}\\n\\n                     | false | -1 | 0",
        // a null count is not a count; a mixed chunk also counts as a generated token
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":null,\"completion_tokens\":2}}\\n\\n | true | -1 | 2",
        "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"usage\":{\"prompt_tokens\":4}}\\n\\n | false | 4 | 1",
        "data: {\"choices\":[{\"text\":\"x\"}],\"usage\":{\"completion_tokens\":null,\"prompt_tokens\":4}}\\n\\n | false | 4 | 1",
        "data: {\"choices\":[{\"delta\":{\"tool_calls\":[],\"content\":\"x\"}}],\"usage\":{\"prompt_tokens\":4}}\\n\\n | false | 4 | 1",
        "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"a\":[1]},{\"b\":2}],\"role\":\"r\"}}],\"usage\":{\"prompt_tokens\":4}}\\n\\n | false | 4 | 1",
        "data: {\"choices\":[{\"delta\":{\"tool_calls\":[],\"content\":\"\"}},{\"text\":\"\"}],\"usage\":{\"prompt_tokens\":4}}\\n\\n | false | 4 | 0",
        "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"r\"}}],\"usage\":{\"prompt_tokens\":4}}\\n\\n | false | 4 | 1",
      })
  void oddlyShapedUsageEventsAreReadOrPassedAsAWhole(
      String event, boolean dropped, long prompt, long completion) {
    String e = unescape(event);
    SseUsageTap tap = new SseUsageTap(true);
    assertThat(text(tap.feed(bytes(e)))).isEqualTo(dropped ? "" : e);
    assertThat(tap.usage(99))
        .isEqualTo(
            prompt < 0 && completion == 0
                ? new Usage(99, 0, false)
                : new Usage(prompt < 0 ? 99 : prompt, completion, true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"data: [DONE]", "data:[DONE]", "data: [DONE]  ", "data:  \t[DONE]\r"})
  void theEndOfTheStreamIsSeenWithOrWithoutSpaces(String line) {
    SseUsageTap tap = new SseUsageTap(true);
    assertThat(text(tap.feed(bytes(line + "\n\n")))).isEqualTo(line + "\n\n");
    assertThat(tap.sawDone()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"data: [DONE]x", "data: [DON", "data: x[DONE]", "dat: [DONE]", "data", ""})
  void onlyAWholeDoneIsTheEnd(String line) {
    SseUsageTap tap = new SseUsageTap(true);
    assertThat(text(tap.feed(bytes(line + "\n\n")))).isEqualTo(line + "\n\n");
    assertThat(tap.sawDone()).isFalse();
    assertThat(tap.usage(3)).isEqualTo(new Usage(3, 0, false));
  }

  @Test
  void anUnterminatedUsageOnlyChunkAtTheEndIsReadAndDropped() {
    SseUsageTap drop = new SseUsageTap(true);
    String last = USAGE.strip();
    assertThat(drop.feed(bytes(CHUNK + last))).asString(StandardCharsets.UTF_8).isEqualTo(CHUNK);
    assertThat(drop.finish()).isEmpty();
    assertThat(drop.finish()).as("nothing left after").isEmpty();
    assertThat(drop.usage(0)).isEqualTo(new Usage(11, 3, true));
    SseUsageTap keep = new SseUsageTap(false);
    keep.feed(bytes(CHUNK + last));
    assertThat(text(keep.finish())).isEqualTo(last);
    assertThat(keep.finish()).as("nothing left after").isEmpty();
    // an empty data field cut at the very end of the stream
    SseUsageTap bare = new SseUsageTap(true);
    assertThat(bare.feed(bytes("data:"))).isEmpty();
    assertThat(text(bare.finish())).isEqualTo("data:");
    assertThat(new SseUsageTap(true).finish()).isEmpty();
  }
}
