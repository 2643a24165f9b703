package io.dormouse.sim.engine;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A parsed {@code /v1/chat/completions} or {@code /v1/completions} body: the fields the simulator
 * plays.
 */
public record GenerateRequest(
    Kind kind,
    String model,
    String prompt,
    boolean stream,
    boolean includeUsage,
    Integer maxTokens,
    Long seed) {

  /** Which of the two generation APIs was called. */
  public enum Kind {
    CHAT,
    COMPLETION
  }

  /**
   * @throws IllegalArgumentException with vLLM's message when the body is not a valid request
   */
  public static GenerateRequest parse(Kind kind, JsonObject body) {
    if (body == null) {
      throw new IllegalArgumentException("the request body must be a JSON object");
    }
    String model = string(body, "model");
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("Field required: model");
    }
    String prompt = kind == Kind.CHAT ? chatPrompt(body) : completionPrompt(body);
    Object streamOptions = body.getValue("stream_options");
    boolean includeUsage =
        streamOptions instanceof JsonObject o && Boolean.TRUE.equals(o.getValue("include_usage"));
    Integer maxTokens = integer(body, "max_completion_tokens");
    if (maxTokens == null) {
      maxTokens = integer(body, "max_tokens");
    }
    if (maxTokens != null && maxTokens < 0) {
      throw new IllegalArgumentException("max_tokens must be at least 0, got " + maxTokens);
    }
    Object seed = body.getValue("seed");
    if (seed != null && !(seed instanceof Number)) {
      throw new IllegalArgumentException("seed must be an integer");
    }
    return new GenerateRequest(
        kind,
        model,
        prompt,
        Boolean.TRUE.equals(body.getValue("stream")),
        includeUsage,
        maxTokens,
        seed == null ? null : ((Number) seed).longValue());
  }

  private static String chatPrompt(JsonObject body) {
    if (!(body.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      throw new IllegalArgumentException("Field required: messages (a non-empty list)");
    }
    StringBuilder prompt = new StringBuilder();
    for (Object m : messages) {
      if (!(m instanceof JsonObject message)) {
        throw new IllegalArgumentException("each message must be an object");
      }
      prompt.append(message.getValue("role", "user")).append(": ");
      Object content = message.getValue("content");
      if (content instanceof String text) {
        prompt.append(text);
      } else if (content instanceof JsonArray parts) {
        for (Object p : parts) {
          if (p instanceof JsonObject part && part.getValue("text") instanceof String text) {
            prompt.append(text);
          }
        }
      }
      prompt.append('\n');
    }
    return prompt.toString();
  }

  private static String completionPrompt(JsonObject body) {
    Object prompt = body.getValue("prompt");
    if (prompt instanceof String text) {
      return text;
    }
    if (prompt instanceof JsonArray list
        && list.size() == 1
        && list.getValue(0) instanceof String) {
      return list.getString(0);
    }
    throw new IllegalArgumentException("Field required: prompt (a string)");
  }

  private static String string(JsonObject body, String key) {
    Object v = body.getValue(key);
    if (v != null && !(v instanceof String)) {
      throw new IllegalArgumentException(key + " must be a string");
    }
    return (String) v;
  }

  private static Integer integer(JsonObject body, String key) {
    Object v = body.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new IllegalArgumentException(key + " must be an integer");
    }
    return n.intValue();
  }
}
