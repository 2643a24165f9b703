package io.dormouse.sim.engine;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A parsed {@code /v1/chat/completions} or {@code /v1/completions} body: the fields the simulator
 * plays.
 *
 * @param maxTokens {@code max_completion_tokens}, else {@code max_tokens}; null when neither is set
 * @param minTokens vLLM's {@code min_tokens}: no end of sequence before that many tokens (0 = none)
 * @param ignoreEos vLLM's {@code ignore_eos}: generate until the token budget runs out
 */
public record GenerateRequest(
    Kind kind,
    String model,
    String prompt,
    boolean stream,
    boolean includeUsage,
    Integer maxTokens,
    Long seed,
    int minTokens,
    boolean ignoreEos) {

  /** Which of the two generation APIs was called. */
  public enum Kind {
    CHAT,
    COMPLETION
  }

  /** A refused request parameter: answered as a 400 whose error names it in {@code param}. */
  public static final class InvalidParameter extends IllegalArgumentException {
    private final String param;

    public InvalidParameter(String param, String message) {
      super(message);
      this.param = param;
    }

    public String param() {
      return param;
    }
  }

  /**
   * @throws IllegalArgumentException with vLLM's message when the body is not a valid request (an
   *     {@link InvalidParameter} when one parameter is at fault)
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
      throw new InvalidParameter("max_tokens", "max_tokens must be at least 0, got " + maxTokens);
    }
    Object seed = body.getValue("seed");
    if (seed != null && !(seed instanceof Number)) {
      throw new InvalidParameter("seed", "seed must be an integer");
    }
    // vLLM declares both as non-optional (`min_tokens: int = 0`, `ignore_eos: bool = False`), so
    // an explicit null is refused like any other wrong type.
    Integer minTokens = integer(body, "min_tokens");
    if (minTokens == null && body.containsKey("min_tokens")) {
      throw new InvalidParameter("min_tokens", "min_tokens must be an integer");
    }
    if (minTokens != null && minTokens < 0) {
      throw new InvalidParameter(
          "min_tokens", "min_tokens must be greater than or equal to 0, got " + minTokens + ".");
    }
    if (minTokens != null && maxTokens != null && minTokens > maxTokens) {
      throw new InvalidParameter(
          "min_tokens",
          "min_tokens must be less than or equal to max_tokens="
              + maxTokens
              + ", got "
              + minTokens
              + ".");
    }
    Object ignoreEos = body.getValue("ignore_eos");
    if (body.containsKey("ignore_eos") && !(ignoreEos instanceof Boolean)) {
      throw new InvalidParameter("ignore_eos", "ignore_eos must be a boolean");
    }
    return new GenerateRequest(
        kind,
        model,
        prompt,
        Boolean.TRUE.equals(body.getValue("stream")),
        includeUsage,
        maxTokens,
        seed == null ? null : ((Number) seed).longValue(),
        minTokens == null ? 0 : minTokens,
        Boolean.TRUE.equals(ignoreEos));
  }

  /**
   * Refuses, as vLLM does, a {@code max_tokens} that the context cannot hold after the prompt (so
   * that {@code ignore_eos} never asks the simulator for more tokens than the model could give).
   *
   * @param promptTokens the prompt's length, as {@link Generation#countTokens} counts it
   */
  public void requireFits(int maxModelLen, int promptTokens) {
    if (maxTokens != null && maxTokens > maxModelLen - promptTokens) {
      throw new InvalidParameter(
          "max_tokens",
          "'max_tokens' or 'max_completion_tokens' is too large: "
              + maxTokens
              + ". This model's maximum context length is "
              + maxModelLen
              + " tokens and your request has "
              + promptTokens
              + " input tokens ("
              + maxTokens
              + " > "
              + maxModelLen
              + " - "
              + promptTokens
              + ").");
    }
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
      throw new InvalidParameter(key, key + " must be a string");
    }
    return (String) v;
  }

  private static Integer integer(JsonObject body, String key) {
    Object v = body.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new InvalidParameter(key, key + " must be an integer");
    }
    // Saturate rather than wrap: 2^32 + 1 must not become 1.
    double d = n.doubleValue();
    if (d >= Integer.MAX_VALUE) {
      return Integer.MAX_VALUE;
    }
    if (d <= Integer.MIN_VALUE) {
      return Integer.MIN_VALUE;
    }
    return n.intValue();
  }
}
