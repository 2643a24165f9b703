package io.dormouse.gateway.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Watches a JSON response go by, chunk by chunk, for its top-level {@code usage} object. A byte
 * scanner follows only nesting and strings, so the body is never held whole nor tokenized; the
 * {@code usage} object alone is kept and parsed.
 */
public final class JsonUsageTap {

  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] USAGE = {'u', 's', 'a', 'g', 'e'};

  /** A usage object larger than this is not one: it is dropped rather than held. */
  private static final int MAX_USAGE_BYTES = 64 * 1024;

  /** Where the scanner is around a top-level key. */
  private enum Expect {
    NOTHING,
    /** A top-level string that reads {@code usage} just closed. */
    COLON,
    /** ... and its colon came: the value follows. */
    VALUE
  }

  private int depth;
  private boolean inString;
  private boolean escaped;
  private int keyLength; // bytes of the current top-level string matching "usage" so far, or -1
  private Expect expect = Expect.NOTHING;
  private ByteArrayOutputStream usageBytes; // the top-level usage object while it goes by
  private int usageDepth;
  private Usage usage;

  public void feed(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (usageBytes != null) {
        usageBytes.write(b);
        if (usageBytes.size() > MAX_USAGE_BYTES) {
          usageBytes = null;
        }
      }
      if (inString) {
        if (escaped) {
          escaped = false;
          keyLength = -1;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
          if (depth == 1 && usageBytes == null) {
            expect = keyLength == USAGE.length ? Expect.COLON : Expect.NOTHING;
          }
        } else if (keyLength >= 0) {
          keyLength = keyLength < USAGE.length && USAGE[keyLength] == b ? keyLength + 1 : -1;
        }
        continue;
      }
      switch (b) {
        case ' ', '\t', '\r', '\n' -> {}
        case '"' -> {
          inString = true;
          keyLength = 0;
          expect = Expect.NOTHING;
        }
        case ':' -> expect = expect == Expect.COLON ? Expect.VALUE : Expect.NOTHING;
        case '{', '[' -> {
          if (expect == Expect.VALUE && b == '{' && depth == 1) {
            usageBytes = new ByteArrayOutputStream(128);
            usageBytes.write(b);
            usageDepth = depth;
          }
          expect = Expect.NOTHING;
          depth++;
        }
        case '}', ']' -> {
          depth--;
          expect = Expect.NOTHING;
          if (usageBytes != null && depth == usageDepth) {
            usage = parse(usageBytes.toByteArray());
            usageBytes = null;
          }
        }
        default -> expect = Expect.NOTHING;
      }
    }
  }

  /** The usage the body stated, or null when it stated none. */
  public Usage usage() {
    return usage;
  }

  /** The {@code prompt_tokens} and {@code completion_tokens} of a usage object. */
  private static Usage parse(byte[] object) {
    Long prompt = null;
    Long completion = null;
    try (JsonParser p = JSON.createParser(object)) {
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
    } catch (IOException | RuntimeException e) {
      return null; // not JSON after all: usage stays unknown, the bytes still pass through
    }
    if (prompt == null && completion == null) {
      return null;
    }
    return new Usage(prompt == null ? 0 : prompt, completion == null ? 0 : completion, true);
  }
}
