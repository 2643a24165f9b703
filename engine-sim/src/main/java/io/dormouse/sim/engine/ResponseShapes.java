package io.dormouse.sim.engine;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The JSON bodies vLLM's OpenAI server answers with, field for field: full responses, stream
 * chunks, the usage-only final chunk, and errors in OpenAI's shape.
 */
public final class ResponseShapes {

  private ResponseShapes() {}

  public static JsonObject usage(int promptTokens, int completionTokens) {
    return new JsonObject()
        .put("prompt_tokens", promptTokens)
        .put("total_tokens", promptTokens + completionTokens)
        .put("completion_tokens", completionTokens)
        .putNull("prompt_tokens_details");
  }

  /** A whole non-streamed answer. */
  public static JsonObject response(
      GenerateRequest.Kind kind, String id, long created, String model, Generation g) {
    JsonObject choice = new JsonObject().put("index", 0);
    if (kind == GenerateRequest.Kind.CHAT) {
      choice.put(
          "message",
          new JsonObject()
              .put("role", "assistant")
              .put("content", g.text())
              .put("tool_calls", new JsonArray()));
    } else {
      choice.put("text", g.text());
    }
    choice.putNull("logprobs").put("finish_reason", g.finishReason()).putNull("stop_reason");
    return new JsonObject()
        .put("id", id)
        .put("object", kind == GenerateRequest.Kind.CHAT ? "chat.completion" : "text_completion")
        .put("created", created)
        .put("model", model)
        .put("choices", new JsonArray().add(choice))
        .put("usage", usage(g.promptTokens(), g.completionTokens()))
        .putNull("prompt_logprobs");
  }

  /** The chat stream's opening chunk: the assistant role with empty content. */
  public static JsonObject roleChunk(String id, long created, String model) {
    JsonObject choice =
        new JsonObject()
            .put("index", 0)
            .put("delta", new JsonObject().put("role", "assistant").put("content", ""))
            .putNull("logprobs")
            .putNull("finish_reason");
    return chunk(GenerateRequest.Kind.CHAT, id, created, model, choice);
  }

  /**
   * One generated token; the last carries the finish reason.
   *
   * @param finishReason null on every token but the last
   */
  public static JsonObject tokenChunk(
      GenerateRequest.Kind kind,
      String id,
      long created,
      String model,
      String token,
      String finishReason) {
    JsonObject choice = new JsonObject().put("index", 0);
    if (kind == GenerateRequest.Kind.CHAT) {
      choice.put("delta", new JsonObject().put("content", token));
    } else {
      choice.put("text", token);
    }
    choice.putNull("logprobs").put("finish_reason", finishReason);
    if (finishReason != null) {
      choice.putNull("stop_reason");
    }
    return chunk(kind, id, created, model, choice);
  }

  /** With {@code stream_options.include_usage}: the last chunk, with no choices and the usage. */
  public static JsonObject usageChunk(
      GenerateRequest.Kind kind, String id, long created, String model, Generation g, int sent) {
    return new JsonObject()
        .put("id", id)
        .put("object", chunkObject(kind))
        .put("created", created)
        .put("model", model)
        .put("choices", new JsonArray())
        .put("usage", usage(g.promptTokens(), sent));
  }

  public static JsonObject embeddings(
      String id, long created, String model, JsonArray vectors, int promptTokens) {
    JsonArray data = new JsonArray();
    for (int i = 0; i < vectors.size(); i++) {
      data.add(
          new JsonObject()
              .put("index", i)
              .put("object", "embedding")
              .put("embedding", vectors.getJsonArray(i)));
    }
    return new JsonObject()
        .put("id", id)
        .put("object", "list")
        .put("created", created)
        .put("model", model)
        .put("data", data)
        .put("usage", usage(promptTokens, 0));
  }

  public static JsonObject models(EngineConfig config, long created) {
    JsonArray data = new JsonArray();
    for (String name : config.modelNames()) {
      data.add(
          new JsonObject()
              .put("id", name)
              .put("object", "model")
              .put("created", created)
              .put("owned_by", "vllm")
              .put("root", config.model())
              .putNull("parent")
              .put("max_model_len", config.maxModelLen()));
    }
    return new JsonObject().put("object", "list").put("data", data);
  }

  /** OpenAI's error shape, as vLLM answers it. */
  public static JsonObject error(int code, String type, String message) {
    return error(code, type, message, null);
  }

  /**
   * @param param the request parameter at fault, or null
   */
  public static JsonObject error(int code, String type, String message, String param) {
    return new JsonObject()
        .put(
            "error",
            new JsonObject()
                .put("message", message)
                .put("type", type)
                .put("param", param)
                .put("code", code));
  }

  private static JsonObject chunk(
      GenerateRequest.Kind kind, String id, long created, String model, JsonObject choice) {
    return new JsonObject()
        .put("id", id)
        .put("object", chunkObject(kind))
        .put("created", created)
        .put("model", model)
        .put("choices", new JsonArray().add(choice));
  }

  private static String chunkObject(GenerateRequest.Kind kind) {
    return kind == GenerateRequest.Kind.CHAT ? "chat.completion.chunk" : "text_completion";
  }
}
