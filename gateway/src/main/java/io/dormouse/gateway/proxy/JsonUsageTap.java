package io.dormouse.gateway.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Finds the top-level {@code usage} object of a JSON response once it has gone by. Engines write
 * {@code usage} near the end of the body, so the tap keeps only references to the last chunks (at
 * most {@link #TAIL_BYTES} are looked at), reads the body backwards from its closing brace to that
 * key, and parses the {@code usage} object alone. The bytes going by are never scanned.
 */
public final class JsonUsageTap {

  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] USAGE = {'u', 's', 'a', 'g', 'e'};

  /** How much of the body's end is searched: a usage object is never larger than this. */
  static final int TAIL_BYTES = 64 * 1024;

  private final ArrayDeque<Buffer> tail = new ArrayDeque<>(2);
  private int tailBytes;
  private Usage usage;
  private boolean read;

  /** One chunk of the body as it goes by: kept by reference, not read. */
  public void feed(Buffer chunk) {
    tail.addLast(chunk);
    tailBytes += chunk.length();
    while (tailBytes - tail.peekFirst().length() >= TAIL_BYTES) {
      tailBytes -= tail.removeFirst().length();
    }
  }

  public void feed(byte[] chunk) {
    feed(Buffer.buffer(chunk));
  }

  /** The usage the body stated, or null when it stated none; call once the body has ended. */
  public Usage usage() {
    if (!read) {
      read = true;
      usage = find(tailBytes());
      tail.clear();
    }
    return usage;
  }

  private byte[] tailBytes() {
    int n = Math.min(tailBytes, TAIL_BYTES);
    byte[] out = new byte[n];
    int skip = tailBytes - n;
    int at = 0;
    for (Buffer b : tail) {
      int len = b.length();
      if (skip >= len) {
        skip -= len;
        continue;
      }
      b.getBytes(skip, len, out, at);
      at += len - skip;
      skip = 0;
    }
    return out;
  }

  /** Reads {@code b} backwards from the top-level object's end to a top-level {@code "usage"}. */
  static Usage find(byte[] b) {
    int i = skipSpaceBack(b, b.length - 1);
    if (i < 0 || b[i] != '}') {
      return null;
    }
    int depth = 1;
    i--;
    while (i >= 0) {
      byte c = b[i];
      if (c == '"') {
        int start = stringStart(b, i);
        if (start < 0) {
          return null;
        }
        if (depth == 1 && i - start - 1 == USAGE.length && matches(b, start + 1, USAGE)) {
          int colon = skipSpace(b, i + 1);
          if (colon < b.length && b[colon] == ':') {
            int value = skipSpace(b, colon + 1);
            if (value < b.length && b[value] == '{') {
              return parse(b, value);
            }
          }
        }
        i = start - 1;
        continue;
      }
      if (c == '}' || c == ']') {
        depth++;
      } else if (c == '{' || c == '[') {
        if (--depth == 0) {
          return null; // the top-level object's start: it has no usage
        }
      }
      i--;
    }
    return null; // the tail ran out first
  }

  /** The index of the quote opening the string whose closing quote is at {@code end}, or -1. */
  private static int stringStart(byte[] b, int end) {
    for (int i = end - 1; i >= 0; i--) {
      if (b[i] == '"') {
        int slashes = 0;
        for (int j = i - 1; j >= 0 && b[j] == '\\'; j--) {
          slashes++;
        }
        if (slashes % 2 == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  private static boolean matches(byte[] b, int at, byte[] word) {
    for (int k = 0; k < word.length; k++) {
      if (b[at + k] != word[k]) {
        return false;
      }
    }
    return true;
  }

  private static int skipSpace(byte[] b, int i) {
    while (i < b.length && isSpace(b[i])) {
      i++;
    }
    return i;
  }

  private static int skipSpaceBack(byte[] b, int i) {
    while (i >= 0 && isSpace(b[i])) {
      i--;
    }
    return i;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /**
   * The {@code prompt_tokens} and {@code completion_tokens} of the usage object at {@code from}.
   */
  private static Usage parse(byte[] b, int from) {
    Long prompt = null;
    Long completion = null;
    try (JsonParser p = JSON.createParser(b, from, b.length - from)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (value == JsonToken.VALUE_NUMBER_INT && "prompt_tokens".equals(field)) {
          prompt = p.getLongValue();
        } else if (value == JsonToken.VALUE_NUMBER_INT && "completion_tokens".equals(field)) {
          completion = p.getLongValue();
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        return null;
      }
    } catch (IOException | RuntimeException e) {
      return null; // not JSON after all: usage stays unknown, the bytes still passed through
    }
    if (prompt == null && completion == null) {
      return null;
    }
    return new Usage(prompt == null ? 0 : prompt, completion == null ? 0 : completion, true);
  }
}
