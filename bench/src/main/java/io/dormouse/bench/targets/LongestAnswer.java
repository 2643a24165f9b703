package io.dormouse.bench.targets;

import io.dormouse.bench.load.ChatRequest;
import io.dormouse.sim.engine.Generation;

/**
 * The engine simulator's answer length is a function of prompt and seed (8 to 48 tokens before
 * max_tokens cuts it). Streams should carry as many chunks as it will give, so this picks the seed
 * with the longest answer to the benchmark's prompt.
 */
public final class LongestAnswer {

  private static final int SEARCH = 5000;

  private LongestAnswer() {}

  public static ChatRequest of(ChatRequest request) {
    String prompt = "user: " + request.content() + "\n";
    long best = ChatRequest.MIN_SEED;
    int bestLength = -1;
    for (long seed = ChatRequest.MIN_SEED; seed < ChatRequest.MIN_SEED + SEARCH; seed++) {
      int length = Generation.plan(prompt, seed, request.maxTokens()).completionTokens();
      if (length > bestLength) {
        best = seed;
        bestLength = length;
        if (length >= request.maxTokens()) {
          break;
        }
      }
    }
    return new ChatRequest(
        request.model(), request.bytes(), request.stream(), request.maxTokens(), best);
  }
}
