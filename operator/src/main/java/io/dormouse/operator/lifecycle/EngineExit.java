package io.dormouse.operator.lifecycle;

import java.util.List;
import java.util.Locale;

/**
 * Reads why an engine container exited from its termination message: with {@code
 * terminationMessagePolicy: FallbackToLogsOnError} that is the last lines of its log, where vLLM
 * says it ran out of GPU memory or why its engine core died.
 */
public final class EngineExit {

  /** The GPU (or the host) had not enough memory for the model. */
  public static final String OUT_OF_MEMORY = "OutOfMemory";

  /** The engine stopped on an error of its own (bad model, bad arguments, a CUDA error...). */
  public static final String ENGINE_FATAL = "EngineFatal";

  private static final List<String> OUT_OF_MEMORY_LINES =
      List.of(
          "cuda out of memory",
          "outofmemoryerror",
          "cuda error: out of memory",
          "no available memory for the cache blocks",
          "insufficient gpu memory");

  private static final List<String> FATAL_LINES =
      List.of(
          "enginecore failed to start",
          "engine process died",
          "enginedeaderror",
          "engine core initialization failed",
          "traceback (most recent call last)",
          "runtimeerror:",
          "valueerror:",
          "cuda error",
          "fatal");

  private EngineExit() {}

  /**
   * {@link #OUT_OF_MEMORY}, {@link #ENGINE_FATAL}, or null when the message says neither.
   *
   * @param reason the terminated state's reason, e.g. {@code OOMKilled} or {@code Error}
   * @param message the termination message, or null
   */
  public static String classify(String reason, String message) {
    if ("OOMKilled".equals(reason)) {
      return OUT_OF_MEMORY;
    }
    if (message == null || message.isBlank()) {
      return null;
    }
    String text = message.toLowerCase(Locale.ROOT);
    if (OUT_OF_MEMORY_LINES.stream().anyMatch(text::contains)) {
      return OUT_OF_MEMORY;
    }
    if (FATAL_LINES.stream().anyMatch(text::contains)) {
      return ENGINE_FATAL;
    }
    return null;
  }

  /** The last line of the message that names the cause, for a status message of one line. */
  public static String cause(String message) {
    if (message == null) {
      return null;
    }
    String[] lines = message.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      String line = lines[i].toLowerCase(Locale.ROOT);
      if (OUT_OF_MEMORY_LINES.stream().anyMatch(line::contains)
          || FATAL_LINES.stream().anyMatch(line::contains)) {
        return lines[i].strip();
      }
    }
    return lines[lines.length - 1].strip();
  }
}
