package io.dormouse.bench.load;

/** The request body every target gets: an OpenAI chat completion padded to a size. */
public final class ChatRequest {

  private ChatRequest() {}

  /**
   * A chat completion whose JSON is exactly {@code bytes} long (or the minimum when smaller), so
   * the "1 KB request" is 1 KB on the wire whatever the model name.
   */
  public static String body(String model, int bytes, boolean stream, int maxTokens) {
    String head =
        "{\"model\":\""
            + model
            + "\",\"stream\":"
            + stream
            + ",\"max_tokens\":"
            + maxTokens
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"";
    String tail = "\"}]}";
    int padding = Math.max(0, bytes - head.length() - tail.length());
    return head + "x".repeat(padding) + tail;
  }
}
