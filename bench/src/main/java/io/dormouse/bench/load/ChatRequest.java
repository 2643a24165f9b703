package io.dormouse.bench.load;

/**
 * The request every target gets: an OpenAI chat completion padded so its JSON is exactly {@code
 * bytes} long (or the minimum when smaller), whatever the model name.
 *
 * @param seed six digits, so that choosing another seed never changes the size
 */
public record ChatRequest(String model, int bytes, boolean stream, int maxTokens, long seed) {

  public static final long MIN_SEED = 100_000;
  public static final long MAX_SEED = 999_999;

  public ChatRequest {
    if (seed < MIN_SEED || seed > MAX_SEED) {
      throw new IllegalArgumentException("seed must have six digits, was " + seed);
    }
  }

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
        + ",\"seed\":"
        + seed
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"";
  }
}
