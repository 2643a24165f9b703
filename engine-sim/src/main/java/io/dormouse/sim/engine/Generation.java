package io.dormouse.sim.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the simulated model answers: a deterministic function of the prompt, the seed and the token
 * budget, so that tests and benchmarks can compare answers byte for byte.
 *
 * @param tokens the completion, one text piece per token (each but the first starts with a space)
 * @param finishReason {@code length} when the budget ran out, else {@code stop}
 */
public record Generation(int promptTokens, List<String> tokens, String finishReason) {

  private static final String[] WORDS = {
    "the",
    "dormouse",
    "sleeps",
    "until",
    "a",
    "request",
    "wakes",
    "it",
    "and",
    "then",
    "answers",
    "with",
    "tokens",
    "from",
    "its",
    "warm",
    "gpu",
    "while",
    "tea",
    "is",
    "served",
    "at",
    "the",
    "table",
    "of",
    "hatter",
    "hare",
    "time",
    "stands",
    "still",
    "so",
    "every",
    "hour",
    "six"
  };

  public Generation {
    tokens = List.copyOf(tokens);
  }

  public int completionTokens() {
    return tokens.size();
  }

  public String text() {
    return String.join("", tokens);
  }

  /**
   * Plans the answer to a prompt. The natural length (8 to 48 tokens) comes from the prompt and
   * seed; {@code maxTokens} cuts it short.
   */
  public static Generation plan(String prompt, long seed, int maxTokens) {
    return plan(prompt, seed, maxTokens, 0, false);
  }

  /**
   * Plans the answer with vLLM's sampling extensions. The model would end after its natural length
   * (8 to 48 tokens, from prompt and seed); {@code minTokens} forbids the end before that many
   * tokens, {@code ignoreEos} forbids it altogether, and {@code maxTokens} cuts the answer short
   * (finish reason {@code length}). A longer answer goes on where the natural one would have ended:
   * the natural answer is always its beginning.
   */
  public static Generation plan(
      String prompt, long seed, int maxTokens, int minTokens, boolean ignoreEos) {
    SplittableRandom random = new SplittableRandom(fingerprint(prompt) ^ seed);
    int natural = 8 + random.nextInt(41);
    int end = ignoreEos ? Integer.MAX_VALUE : Math.max(natural, minTokens);
    int length = Math.min(end, Math.max(0, maxTokens));
    List<String> tokens = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      String word = WORDS[random.nextInt(WORDS.length)];
      tokens.add(i == 0 ? capitalize(word) : " " + word);
    }
    return new Generation(countTokens(prompt), tokens, length < end ? "length" : "stop");
  }

  /** A tokenizer stand-in: one token per word or punctuation run, at least one per prompt. */
  public static int countTokens(String text) {
    int count = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean letter = Character.isLetterOrDigit(text.charAt(i));
      if (Character.isWhitespace(text.charAt(i))) {
        inWord = false;
      } else if (!letter) {
        count++;
        inWord = false;
      } else if (!inWord) {
        count++;
        inWord = true;
      }
    }
    return Math.max(1, count);
  }

  private static long fingerprint(String text) {
    // FNV-1a: stable across JVMs, unlike String.hashCode's spread over long prompts.
    long hash = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  private static String capitalize(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }
}
