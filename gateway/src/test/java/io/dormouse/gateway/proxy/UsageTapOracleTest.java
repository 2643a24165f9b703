package io.dormouse.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written byte scanners of both taps against a plain reading of the same JSON with a tree
 * parser, over generated chunks and bodies: nested objects and arrays, strings holding quotes,
 * backslashes and key names, spacing, CRLF, several data lines, and every split of the bytes. A
 * scanner that is off by one byte anywhere disagrees with the tree on some input.
 */
class UsageTapOracleTest {

  private static final ObjectMapper TREE = new ObjectMapper();
  private static final String[] WORDS = {
    "", "hi", "usage", "content", "text", "\\\"usage\\\":{", "a\\\\", "\\\\\\\"", "{}", "[]", " : "
  };
  private static final String[] KEYS = {
    "id", "usage", "content", "text", "reasoning_content", "tool_calls", "role", "x"
  };

  // --- the JSON body tap ---

  @Test
  void theJsonTapReadsWhatATreeParserReads() throws Exception {
    Random random = new Random(12);
    for (int n = 0; n < 3000; n++) {
      String body = body(random);
      Usage expected = bodyUsage(TREE.readTree(body));
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      int at = random.nextInt(bytes.length + 1);
      JsonUsageTap tap = new JsonUsageTap();
      tap.feed(Arrays.copyOfRange(bytes, 0, at));
      tap.feed(Arrays.copyOfRange(bytes, at, bytes.length));
      assertThat(tap.usage()).as(body).isEqualTo(expected);
      assertThat(tap.usage()).as("asked twice").isEqualTo(expected);
    }
  }

  /** What the body's top-level usage object states, as the tap must report it. */
  private static Usage bodyUsage(JsonNode body) {
    if (!body.isObject() || !body.path("usage").isObject()) {
      return null;
    }
    JsonNode usage = body.get("usage");
    JsonNode prompt = usage.get("prompt_tokens");
    JsonNode completion = usage.get("completion_tokens");
    boolean hasPrompt = prompt != null && prompt.isIntegralNumber();
    boolean hasCompletion = completion != null && completion.isIntegralNumber();
    if (!hasPrompt && !hasCompletion) {
      return null;
    }
    return new Usage(
        hasPrompt ? prompt.asLong() : 0, hasCompletion ? completion.asLong() : 0, true);
  }

  private static String body(Random r) {
    StringBuilder b = new StringBuilder(space(r)).append('{');
    int fields = r.nextInt(4);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < fields; i++) {
      // one top-level usage at most: with two, which one counts is the parser's choice
      String key = KEYS[r.nextInt(KEYS.length)];
      parts.add(quote(key.equals("usage") ? "x" : key) + space(r) + ":" + space(r) + value(r, 2));
    }
    if (r.nextInt(3) > 0) {
      parts.add(r.nextInt(parts.size() + 1), quote("usage") + space(r) + ":" + space(r) + usage(r));
    }
    b.append(String.join("," + space(r), parts));
    return b.append(space(r)).append('}').append(space(r)).toString();
  }

  private static String usage(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> "null";
      case 1 -> "[1,2]";
      case 2 -> "{\"total_tokens\":" + r.nextInt(50) + "}";
      case 3 -> "{\"prompt_tokens\":\"12\"}";
      default -> {
        List<String> parts = new ArrayList<>();
        if (r.nextBoolean()) {
          parts.add("\"prompt_tokens\":" + space(r) + r.nextInt(5000));
        }
        if (r.nextBoolean()) {
          parts.add("\"completion_tokens\" :" + r.nextInt(5000));
        }
        if (r.nextBoolean()) {
          parts.add(r.nextInt(parts.size() + 1), "\"details\":" + value(r, 1));
        }
        yield "{" + String.join(",", parts) + "}";
      }
    };
  }

  private static String value(Random r, int depth) {
    int kind = r.nextInt(depth > 0 ? 6 : 3);
    return switch (kind) {
      case 0 -> quote(WORDS[r.nextInt(WORDS.length)]);
      case 1 -> Integer.toString(r.nextInt(100));
      case 2 -> r.nextBoolean() ? "null" : "true";
      case 3 -> {
        List<String> items = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
          items.add(value(r, depth - 1));
        }
        yield "[" + space(r) + String.join("," + space(r), items) + "]";
      }
      default -> {
        List<String> items = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
          String key = kind == 4 ? KEYS[r.nextInt(KEYS.length)] : "usage";
          String v = key.equals("usage") ? usage(r) : value(r, depth - 1);
          items.add(quote(key) + ":" + space(r) + v);
        }
        yield "{" + String.join(",", items) + "}";
      }
    };
  }

  // --- the event stream tap ---

  @Test
  void theStreamTapReadsWhatATreeParserReads() throws Exception {
    Random random = new Random(7);
    for (int n = 0; n < 1500; n++) {
      boolean drop = random.nextBoolean();
      List<String> events = new ArrayList<>();
      for (int i = random.nextInt(5); i >= 0; i--) {
        events.add(event(random));
      }
      Expected expected = streamExpectation(events, drop);
      String stream = String.join("", events);
      byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
      int at = random.nextInt(bytes.length + 1);
      SseUsageTap tap = new SseUsageTap(drop);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(tap.feed(Arrays.copyOfRange(bytes, 0, at)));
      out.writeBytes(tap.feed(Arrays.copyOfRange(bytes, at, bytes.length)));
      out.writeBytes(tap.finish());
      assertThat(out.toString(StandardCharsets.UTF_8)).as(stream).isEqualTo(expected.out);
      assertThat(tap.usage(99)).as(stream).isEqualTo(expected.usage);
      assertThat(tap.sawDone()).as(stream).isEqualTo(expected.done);
    }
  }

  @Test
  void anUnterminatedLastEventIsReadAtTheEnd() {
    SseUsageTap tap = new SseUsageTap(true);
    byte[] usageOnly = "data: {\"usage\":{\"completion_tokens\":4}}".getBytes();
    assertThat(tap.feed(usageOnly)).isEmpty();
    assertThat(tap.finish()).as("the usage-only chunk the gateway asked for").isEmpty();
    assertThat(tap.finish()).as("nothing pending twice").isEmpty();
    assertThat(tap.usage(3)).isEqualTo(new Usage(3, 4, true));

    SseUsageTap other = new SseUsageTap(true);
    byte[] content = "data: {\"choices\":[{\"text\":\"x\"}]}\n".getBytes();
    assertThat(other.feed(content)).isEmpty();
    assertThat(other.finish()).isEqualTo(content);
    assertThat(other.usage(3)).isEqualTo(new Usage(3, 1, false));
    assertThat(other.sawDone()).isFalse();
  }

  private record Expected(String out, Usage usage, boolean done) {}

  /** What goes out, the usage and whether [DONE] came, read event by event with a tree parser. */
  private static Expected streamExpectation(List<String> events, boolean drop) throws Exception {
    StringBuilder out = new StringBuilder();
    Long prompt = null;
    Long completion = null;
    long counted = 0;
    boolean done = false;
    for (String event : events) {
      String data = dataOf(event);
      boolean keep = true;
      if (data.equals("[DONE]")) {
        done = true;
      } else if (!data.isEmpty()) {
        JsonNode chunk = TREE.readTree(data);
        if (chunk.path("usage").isObject()) {
          if (generatedInChoices(chunk.path("choices"))) {
            counted++;
          }
          JsonNode usage = chunk.get("usage");
          if (usage.hasNonNull("prompt_tokens")) {
            prompt = usage.get("prompt_tokens").asLong();
          }
          if (usage.hasNonNull("completion_tokens")) {
            completion = usage.get("completion_tokens").asLong();
          }
          keep = !(drop && chunk.path("choices").isEmpty());
        } else if (!hasKey(chunk, "usage")
            ? generatedAnywhere(chunk)
            : generatedInChoices(chunk.path("choices"))) {
          counted++;
        }
      }
      if (keep) {
        out.append(event);
      }
    }
    Usage usage =
        prompt != null || completion != null
            ? new Usage(
                prompt == null ? 99 : prompt, completion == null ? counted : completion, true)
            : new Usage(99, counted, false);
    return new Expected(out.toString(), usage, done);
  }

  /** The event's data lines joined, trimmed. */
  private static String dataOf(String event) {
    StringBuilder data = new StringBuilder();
    for (String line : event.split("\n")) {
      String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      if (l.startsWith("data:")) {
        String v = l.substring(5);
        data.append(v.startsWith(" ") ? v.substring(1) : v);
      }
    }
    return data.toString().strip();
  }

  private static boolean generatedInChoices(JsonNode choices) {
    for (JsonNode choice : choices) {
      if (nonEmptyText(choice.get("text"))) {
        return true;
      }
      JsonNode delta = choice.path("delta");
      if (nonEmptyText(delta.get("content"))
          || nonEmptyText(delta.get("reasoning_content"))
          || delta.path("tool_calls").isArray() && !delta.path("tool_calls").isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** A chunk without usage is scanned: any text key with a non-empty string, or tool calls. */
  private static boolean generatedAnywhere(JsonNode node) {
    if (node.isArray()) {
      for (JsonNode item : node) {
        if (generatedAnywhere(item)) {
          return true;
        }
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String key = field.getKey();
        JsonNode value = field.getValue();
        if ((key.equals("content") || key.equals("text") || key.equals("reasoning_content"))
                && nonEmptyText(value)
            || key.equals("tool_calls") && value.isArray() && !value.isEmpty()
            || generatedAnywhere(value)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasKey(JsonNode node, String key) {
    if (node.isObject() && node.has(key)) {
      return true;
    }
    for (JsonNode child : node) {
      if (hasKey(child, key)) {
        return true;
      }
    }
    return false;
  }

  private static boolean nonEmptyText(JsonNode node) {
    return node != null && node.isTextual() && !node.asText().isEmpty();
  }

  private static String event(Random r) {
    String eol = r.nextInt(4) == 0 ? "\r\n" : "\n";
    String end = r.nextInt(4) == 0 ? "\n\r\n" : r.nextInt(3) == 0 ? "\r\n\r\n" : "\n\n";
    return switch (r.nextInt(10)) {
      case 0 -> "data:" + space(r) + "[DONE]" + space(r) + end;
      case 1 -> ": keep-alive" + end;
      case 2 -> {
        String json = chunk(r);
        int cut = 1 + r.nextInt(json.length() - 1);
        yield "data: " + json.substring(0, cut) + eol + "data:" + json.substring(cut) + end;
      }
      default -> (r.nextBoolean() ? "data: " : "data:") + chunk(r) + end;
    };
  }

  private static String chunk(Random r) {
    List<String> parts = new ArrayList<>();
    parts.add("\"id\":" + quote(WORDS[r.nextInt(WORDS.length)]));
    if (r.nextInt(4) > 0) {
      List<String> choices = new ArrayList<>();
      for (int i = r.nextInt(3); i > 0; i--) {
        choices.add(choice(r));
      }
      parts.add("\"choices\":" + space(r) + "[" + String.join(",", choices) + "]");
    }
    if (r.nextInt(3) == 0) {
      parts.add(r.nextInt(parts.size() + 1), "\"usage\"" + space(r) + ":" + space(r) + usage(r));
    }
    if (r.nextInt(5) == 0) {
      parts.add("\"x\":" + value(r, 2));
    }
    // a data line holds no line break
    return ("{" + String.join("," + space(r), parts) + "}").replace("\r\n", "");
  }

  private static String choice(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> "{\"index\":0,\"text\":" + quote(WORDS[r.nextInt(WORDS.length)]) + "}";
      case 1 -> "3";
      case 2 ->
          "{\"delta\":{\"tool_calls\":"
              + space(r)
              + (r.nextBoolean() ? "[ ]" : "[{\"id\":\"t\"},2]")
              + "}}";
      default -> {
        String key = r.nextBoolean() ? "content" : r.nextBoolean() ? "reasoning_content" : "role";
        String v = r.nextInt(4) == 0 ? value(r, 1) : quote(WORDS[r.nextInt(WORDS.length)]);
        yield "{\"index\":0,\"delta\":{" + quote(key) + space(r) + ":" + space(r) + v + "}}";
      }
    };
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }

  private static String space(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> " ";
      case 1 -> "\t";
      case 2 -> " \r\n ";
      default -> "";
    };
  }
}
