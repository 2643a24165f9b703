package io.dormouse.gateway.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Passes a server-sent event stream through one whole event at a time (so the engine's pacing
 * reaches the client), reads the usage chunk, counts content chunks for streams that end before it,
 * and drops the usage-only chunk the gateway asked for when the client did not.
 */
public final class SseUsageTap {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean dropUsageOnlyChunk;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private Long prompt;
  private Long completion;
  private long contentChunks;
  private boolean sawDone;

  public SseUsageTap(boolean dropUsageOnlyChunk) {
    this.dropUsageOnlyChunk = dropUsageOnlyChunk;
  }

  /** The complete events in {@code chunk} (and what was pending) to forward now. */
  public byte[] feed(byte[] chunk) {
    pending.writeBytes(chunk);
    byte[] all = pending.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream(all.length);
    int start = 0;
    int end;
    while ((end = eventEnd(all, start)) >= 0) {
      byte[] event = Arrays.copyOfRange(all, start, end);
      if (keep(event)) {
        out.writeBytes(event);
      }
      start = end;
    }
    pending.reset();
    pending.write(all, start, all.length - start);
    return out.toByteArray();
  }

  /** Whatever was left when the stream ended (an unterminated last event). */
  public byte[] finish() {
    byte[] rest = pending.toByteArray();
    pending.reset();
    return rest.length > 0 && keep(rest) ? rest : new byte[0];
  }

  public boolean sawDone() {
    return sawDone;
  }

  /** Reported usage; without it, one token per content chunk (what engines stream) is billed. */
  public Usage usage(long promptEstimate) {
    if (prompt != null || completion != null) {
      return new Usage(
          prompt == null ? promptEstimate : prompt,
          completion == null ? contentChunks : completion,
          true);
    }
    return new Usage(promptEstimate, contentChunks, false);
  }

  /** Index just past the blank line ending the event starting at {@code from}, or -1. */
  private static int eventEnd(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\n' && b[i + 1] == '\n') {
        return i + 2;
      }
      if (b[i] == '\n' && b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n') {
        return i + 3;
      }
    }
    return -1;
  }

  private boolean keep(byte[] event) {
    String text = new String(event, StandardCharsets.UTF_8);
    StringBuilder data = new StringBuilder();
    for (String line : text.split("\r?\n")) {
      if (line.startsWith("data:")) {
        data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
      }
    }
    String payload = data.toString().strip();
    if (payload.isEmpty()) {
      return true;
    }
    if (payload.equals("[DONE]")) {
      sawDone = true;
      return true;
    }
    JsonNode node;
    try {
      node = JSON.readTree(payload);
    } catch (Exception e) {
      return true;
    }
    JsonNode choices = node.path("choices");
    boolean hasChoices = choices.isArray() && !choices.isEmpty();
    if (carriesGeneratedTokens(choices)) {
      contentChunks++;
    }
    JsonNode usage = node.get("usage");
    if (usage != null && usage.isObject()) {
      if (usage.hasNonNull("prompt_tokens")) {
        prompt = usage.get("prompt_tokens").asLong();
      }
      if (usage.hasNonNull("completion_tokens")) {
        completion = usage.get("completion_tokens").asLong();
      }
      return !(dropUsageOnlyChunk && !hasChoices);
    }
    return true;
  }

  /**
   * Whether a chunk's choices carry generated output. vLLM opens a chat stream with a role-only
   * delta and may close it with an empty one holding the finish reason: neither is a token.
   */
  static boolean carriesGeneratedTokens(JsonNode choices) {
    if (!choices.isArray()) {
      return false;
    }
    for (JsonNode choice : choices) {
      JsonNode delta = choice.path("delta");
      if (nonEmptyText(choice.path("text"))
          || nonEmptyText(delta.path("content"))
          || nonEmptyText(delta.path("reasoning_content"))
          || (delta.path("tool_calls").isArray() && !delta.path("tool_calls").isEmpty())) {
        return true;
      }
    }
    return false;
  }

  private static boolean nonEmptyText(JsonNode node) {
    return node.isTextual() && !node.asText().isEmpty();
  }
}
