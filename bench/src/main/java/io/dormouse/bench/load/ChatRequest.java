package io.dormouse.bench.load;

/**
 * The request every target gets: an OpenAI chat completion padded so its JSON is exactly {@code
 * bytes} long (or the minimum when smaller), whatever the model name.
 *
 * @param ignoreEos sends vLLM's {@code "ignore_eos": true}, so that every answer is exactly {@code
 *     maxTokens} long (streamed: that many token chunks), whatever the prompt; off for servers that
 *     refuse the extension
 */
public record ChatRequest(
    String model, int bytes, boolean stream, int maxTokens, boolean ignoreEos) {

  public String json() {
    return head() + content() + TAIL;
  }

  /** The user message: padding only. */
  public String content() {
    return "x".repeat(Math.max(0, bytes - head().length() - TAIL.length()));
  }

  private static final String TAIL = "\"}]}";

  private String head() {
    // Streams ask for usage themselves, so every target carries the same usage chunk.
    String streamOptions = stream ? ",\"stream_options\":{\"include_usage\":true}" : "";
    return "{\"model\":\""
        + model
        + "\",\"stream\":"
        + stream
        + streamOptions
        + ",\"max_tokens\":"
        + maxTokens
        + (ignoreEos ? ",\"ignore_eos\":true" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"";
  }
}
