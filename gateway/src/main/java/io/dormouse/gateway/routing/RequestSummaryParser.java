package io.dormouse.gateway.routing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;

/**
 * Reads a request body once with a streaming parser: the fields routing needs, a character count of
 * the prompt, and a syntax check of the rest. No tree is built, so a large body costs one pass.
 */
public final class RequestSummaryParser {

  private static final int CHARS_PER_TOKEN = 4;
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(32).build())
          .build();

  private RequestSummaryParser() {}

  public static RequestSummary parse(byte[] body) throws BadRequest {
    if (body.length == 0) {
      throw invalid("The request body is empty; expected a JSON object.", null);
    }
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw invalid("The request body must be a JSON object.", null);
      }
      String model = null;
      Boolean stream = null;
      Integer maxTokens = null;
      boolean wantsUsage = false;
      PromptCount prompt = new PromptCount();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "model" -> {
            if (value != JsonToken.VALUE_STRING) {
              throw invalid("'model' must be a string.", "model");
            }
            model = p.getText();
          }
          case "stream" -> {
            if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
              stream = value == JsonToken.VALUE_TRUE;
            } else if (value != JsonToken.VALUE_NULL) {
              throw invalid("'stream' must be a boolean.", "stream");
            }
          }
          case "max_tokens", "max_completion_tokens" -> {
            if (value == JsonToken.VALUE_NUMBER_INT) {
              long n = p.getLongValue();
              if (n < 0 || n > Integer.MAX_VALUE) {
                throw invalid("'" + field + "' must be a non-negative integer.", field);
              }
              maxTokens = (int) n;
            } else if (value != JsonToken.VALUE_NULL) {
              throw invalid("'" + field + "' must be an integer.", field);
            }
          }
          case "stream_options" -> {
            if (value == JsonToken.START_OBJECT) {
              wantsUsage = readIncludeUsage(p);
            } else if (value != JsonToken.VALUE_NULL) {
              throw invalid("'stream_options' must be an object.", "stream_options");
            }
          }
          case "messages" -> {
            if (value != JsonToken.START_ARRAY) {
              throw invalid("'messages' must be an array.", "messages");
            }
            prompt.count(p);
          }
          case "prompt", "input" -> {
            if (value == JsonToken.VALUE_STRING || value == JsonToken.START_ARRAY) {
              prompt.count(p);
            } else {
              throw invalid("'" + field + "' must be a string or an array.", field);
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw invalid("The request body is not valid JSON.", null);
      }
      if (p.nextToken() != null) {
        throw invalid("The request body has content after its JSON object.", null);
      }
      if (model == null || model.isBlank()) {
        throw new BadRequest("You must provide a model parameter.", "model", "missing_model");
      }
      if (model.length() > 256) {
        throw invalid("'model' is too long.", "model");
      }
      return new RequestSummary(
          model, Boolean.TRUE.equals(stream), maxTokens, wantsUsage, prompt.tokens());
    } catch (JsonProcessingException e) {
      throw invalid("The request body is not valid JSON: " + e.getOriginalMessage(), null);
    } catch (IOException e) {
      throw invalid("The request body could not be read.", null);
    }
  }

  private static boolean readIncludeUsage(JsonParser p) throws IOException, BadRequest {
    boolean include = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if ("include_usage".equals(field)) {
        if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
          include = value == JsonToken.VALUE_TRUE;
        } else if (value != JsonToken.VALUE_NULL) {
          throw invalid("'stream_options.include_usage' must be a boolean.", "stream_options");
        }
      } else {
        p.skipChildren();
      }
    }
    return include;
  }

  private static BadRequest invalid(String message, String param) {
    return new BadRequest(message, param, "invalid_request");
  }

  /** Characters of every string and one token per integer (token ids) under the current value. */
  private static final class PromptCount {
    private long chars;
    private long tokenIds;

    void count(JsonParser p) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_STRING) {
        chars += p.getTextLength();
        return;
      }
      int depth = 0;
      do {
        switch (t) {
          case START_ARRAY, START_OBJECT -> depth++;
          case END_ARRAY, END_OBJECT -> depth--;
          case VALUE_STRING -> chars += p.getTextLength();
          case VALUE_NUMBER_INT -> tokenIds++;
          default -> {}
        }
        if (depth == 0) {
          return;
        }
        t = p.nextToken();
      } while (t != null);
    }

    long tokens() {
      return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN + tokenIds;
    }
  }
}
