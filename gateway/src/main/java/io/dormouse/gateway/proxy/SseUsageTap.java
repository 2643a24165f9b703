package io.dormouse.gateway.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Passes a server-sent event stream through one whole event at a time (so the engine's pacing
 * reaches the client), reads the usage chunk, counts content chunks for streams that end before it,
 * and drops the usage-only chunk the gateway asked for when the client did not. Events are read in
 * place: a stream costs no copy beyond the partial event carried from one network read to the next.
 * Only a chunk that names {@code usage} is parsed as JSON; the others are scanned for generated
 * output (a non-empty text, content or reasoning, or tool calls), which bills a stream that ends
 * before its usage chunk.
 */
public final class SseUsageTap {

  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] USAGE_KEY = ascii("\"usage\"");
  private static final byte[] TOOL_CALLS_KEY = ascii("\"tool_calls\"");
  private static final byte[][] KEYS = {
    USAGE_KEY,
    ascii("\"content\""),
    ascii("\"text\""),
    ascii("\"reasoning_content\""),
    TOOL_CALLS_KEY
  };

  private final boolean dropUsageOnlyChunk;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private Long prompt;
  private Long completion;
  private long contentChunks;
  private boolean sawDone;

  public SseUsageTap(boolean dropUsageOnlyChunk) {
    this.dropUsageOnlyChunk = dropUsageOnlyChunk;
  }

  /**
   * The complete events in {@code chunk} (and what was pending) to forward now: {@code chunk}
   * itself when it is exactly whole events that all go out.
   */
  public byte[] feed(byte[] chunk) {
    byte[] all = chunk;
    if (pending.size() > 0) {
      pending.writeBytes(chunk);
      all = pending.toByteArray();
      pending.reset();
    }
    ByteArrayOutputStream kept = null; // only once an event is dropped
    int start = 0;
    int end;
    while ((end = eventEnd(all, start)) >= 0) {
      boolean keep = keep(all, start, end);
      if (!keep && kept == null) {
        kept = new ByteArrayOutputStream(all.length);
        kept.write(all, 0, start);
      } else if (keep && kept != null) {
        kept.write(all, start, end - start);
      }
      start = end;
    }
    pending.write(all, start, all.length - start);
    if (kept != null) {
      return kept.toByteArray();
    }
    return start == all.length ? all : Arrays.copyOf(all, start);
  }

  /** Whatever was left when the stream ended (an unterminated last event). */
  public byte[] finish() {
    byte[] rest = pending.toByteArray();
    pending.reset();
    return rest.length > 0 && keep(rest, 0, rest.length) ? rest : new byte[0];
  }

  public boolean sawDone() {
    return sawDone;
  }

  /** Reported usage; without it, one token per content chunk (what engines stream) is billed. */
  public Usage usage(long promptEstimate) {
    if (prompt != null || completion != null) {
      return new Usage(
          prompt == null ? promptEstimate : prompt,
          completion == null ? contentChunks : completion,
          true);
    }
    return new Usage(promptEstimate, contentChunks, false);
  }

  /** Index just past the blank line ending the event starting at {@code from}, or -1. */
  private static int eventEnd(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\n' && b[i + 1] == '\n') {
        return i + 2;
      }
      if (b[i] == '\n' && b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n') {
        return i + 3;
      }
    }
    return -1;
  }

  /** Reads the event in {@code b[from, to)}; false only for the usage-only chunk to drop. */
  private boolean keep(byte[] b, int from, int to) {
    byte[] payload = b;
    int off = -1;
    int len = 0;
    ByteArrayOutputStream joined = null; // several data lines: their values, concatenated
    int line = from;
    while (line < to) {
      int eol = line;
      while (eol < to && b[eol] != '\n') {
        eol++;
      }
      int lineEnd = eol > line && b[eol - 1] == '\r' ? eol - 1 : eol;
      if (startsWith(b, line, lineEnd, DATA)) {
        int value = line + DATA.length;
        if (value < lineEnd && b[value] == ' ') {
          value++;
        }
        if (off < 0) {
          off = value;
          len = lineEnd - value;
        } else {
          if (joined == null) {
            joined = new ByteArrayOutputStream();
            joined.write(b, off, len);
          }
          joined.write(b, value, lineEnd - value);
        }
      }
      line = eol + 1;
    }
    if (joined != null) {
      payload = joined.toByteArray();
      off = 0;
      len = payload.length;
    }
    while (len > 0 && isSpace(payload[off])) {
      off++;
      len--;
    }
    while (len > 0 && isSpace(payload[off + len - 1])) {
      len--;
    }
    if (off < 0 || len == 0) {
      return true;
    }
    if (startsWith(payload, off, off + len, DONE) && len == DONE.length) {
      sawDone = true;
      return true;
    }
    int facts = scan(payload, off, off + len);
    if ((facts & NAMES_USAGE) == 0) {
      if ((facts & GENERATED) != 0) {
        contentChunks++;
      }
      return true;
    }
    return read(payload, off, len);
  }

  private static final int NAMES_USAGE = 1;
  private static final int GENERATED = 2;

  /**
   * One pass over a chunk's JSON for its keys: whether it names {@code usage}, and whether it has a
   * non-empty string under a text key or a non-empty tool call list. Quotes inside JSON strings are
   * escaped, so a quoted name followed by a colon is a key, not text.
   */
  static int scan(byte[] b, int from, int to) {
    int facts = 0;
    for (int i = from; i < to; i++) {
      if (b[i] != '"') {
        continue;
      }
      byte[] key = keyAt(b, i, to);
      if (key == null) {
        continue;
      }
      int value = valueAfter(b, i + key.length, to);
      if (value < 0) {
        continue;
      }
      if (key == USAGE_KEY) {
        facts |= NAMES_USAGE;
      } else if (key == TOOL_CALLS_KEY) {
        int next = skipSpace(b, value + 1, to);
        if (b[value] == '[' && next < to && b[next] != ']') {
          facts |= GENERATED;
        }
      } else if (b[value] == '"' && value + 1 < to && b[value + 1] != '"') {
        facts |= GENERATED;
      }
      i = value - 1;
    }
    return facts;
  }

  /** The key of {@link #KEYS} whose quoted name starts at {@code at}, or null. */
  private static byte[] keyAt(byte[] b, int at, int to) {
    candidates:
    for (byte[] key : KEYS) {
      if (at + key.length > to) {
        continue;
      }
      for (int j = 1; j < key.length; j++) { // key[0] is the quote already seen
        if (b[at + j] != key[j]) {
          continue candidates;
        }
      }
      return key;
    }
    return null;
  }

  /** The index of the value after a key ending before {@code i} (past the colon), or -1. */
  private static int valueAfter(byte[] b, int i, int to) {
    i = skipSpace(b, i, to);
    if (i >= to || b[i] != ':') {
      return -1;
    }
    i = skipSpace(b, i + 1, to);
    return i < to ? i : -1;
  }

  private static int skipSpace(byte[] b, int i, int to) {
    while (i < to && isSpace(b[i])) {
      i++;
    }
    return i;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads one chunk's JSON; what it says is taken only when all of it parses. */
  private boolean read(byte[] json, int off, int len) {
    ChunkFacts facts = new ChunkFacts();
    try (JsonParser p = JSON.createParser(json, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return true;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("choices".equals(field) && value == JsonToken.START_ARRAY) {
          facts.readChoices(p);
        } else if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
          facts.readUsage(p);
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        return true; // trailing content: not a chunk we understand
      }
    } catch (IOException | RuntimeException e) {
      return true;
    }
    if (facts.generated) {
      contentChunks++;
    }
    if (!facts.hasUsage) {
      return true;
    }
    if (facts.prompt != null) {
      prompt = facts.prompt;
    }
    if (facts.completion != null) {
      completion = facts.completion;
    }
    return !(dropUsageOnlyChunk && !facts.hasChoices);
  }

  private static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
    if (to - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0x0B;
  }

  /** What one chunk says, gathered while it is parsed. */
  private static final class ChunkFacts {
    boolean hasChoices;
    boolean generated;
    boolean hasUsage;
    Long prompt;
    Long completion;

    /**
     * vLLM opens a chat stream with a role-only delta and may close it with an empty one holding
     * the finish reason: neither is a token. Text, content, reasoning or tool calls are.
     */
    void readChoices(JsonParser p) throws IOException {
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        hasChoices = true;
        if (t != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          if ("text".equals(field)) {
            generated |= nonEmptyText(p, value);
            p.skipChildren();
          } else if ("delta".equals(field) && value == JsonToken.START_OBJECT) {
            readDelta(p);
          } else {
            p.skipChildren();
          }
        }
      }
    }

    private void readDelta(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("content".equals(field) || "reasoning_content".equals(field)) {
          generated |= nonEmptyText(p, value);
          p.skipChildren();
        } else if ("tool_calls".equals(field) && value == JsonToken.START_ARRAY) {
          generated |= p.nextToken() != JsonToken.END_ARRAY;
          if (p.currentToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
    }

    void readUsage(JsonParser p) throws IOException {
      hasUsage = true;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (value == JsonToken.VALUE_NULL) {
          continue;
        }
        if ("prompt_tokens".equals(field)) {
          prompt = p.getValueAsLong();
        } else if ("completion_tokens".equals(field)) {
          completion = p.getValueAsLong();
        }
        p.skipChildren();
      }
    }

    private static boolean nonEmptyText(JsonParser p, JsonToken value) throws IOException {
      return value == JsonToken.VALUE_STRING && p.getTextLength() > 0;
    }
  }
}
