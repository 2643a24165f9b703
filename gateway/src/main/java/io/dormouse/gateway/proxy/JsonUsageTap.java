package io.dormouse.gateway.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;

/**
 * Watches a JSON response go by, chunk by chunk, for its top-level {@code usage} object. A
 * non-blocking parser keeps only its own small state, so the response is never held whole.
 */
public final class JsonUsageTap {

  // No interning: field names are only compared, and interning takes a global lock per new name.
  private static final JsonFactory JSON =
      JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();

  private final JsonParser parser;
  private int depth;
  private String topField;
  private String usageField;
  private Long prompt;
  private Long completion;
  private boolean broken;

  public JsonUsageTap() {
    try {
      parser = JSON.createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public void feed(byte[] bytes) {
    if (broken) {
      return;
    }
    try {
      ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(bytes, 0, bytes.length);
      JsonToken t;
      while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
        switch (t) {
          case START_OBJECT, START_ARRAY -> depth++;
          case END_OBJECT, END_ARRAY -> depth--;
          case FIELD_NAME -> {
            if (depth == 1) {
              topField = parser.currentName();
            } else if (depth == 2) {
              usageField = parser.currentName();
            }
          }
          case VALUE_NUMBER_INT -> {
            if (depth == 2 && "usage".equals(topField)) {
              if ("prompt_tokens".equals(usageField)) {
                prompt = parser.getLongValue();
              } else if ("completion_tokens".equals(usageField)) {
                completion = parser.getLongValue();
              }
            }
          }
          default -> {}
        }
      }
    } catch (IOException | RuntimeException e) {
      broken = true; // not JSON after all: usage stays unknown, the bytes still pass through
    }
  }

  /**
   * The body is complete. Closing the parser hands the names it learned to the shared symbol table,
   * so the next response's parser finds them instead of adding them again.
   */
  public void end() {
    try {
      parser.close();
    } catch (IOException e) {
      broken = true;
    }
  }

  /** The usage the body stated, or null when it stated none. */
  public Usage usage() {
    if (prompt == null && completion == null) {
      return null;
    }
    return new Usage(prompt == null ? 0 : prompt, completion == null ? 0 : completion, true);
  }
}
