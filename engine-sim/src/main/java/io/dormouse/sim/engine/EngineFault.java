package io.dormouse.sim.engine;

import java.util.Locale;

/** A failure the engine simulator plays, to test how Dormouse copes with a broken engine. */
public enum EngineFault {
  /** A healthy engine. */
  NONE,
  /** The server dies abruptly mid-generation: every connection is cut and it stops listening. */
  CRASH,
  /** Generation requests are accepted and never answered. */
  HANG,
  /** Generation requests are answered 500. */
  ERROR,
  /** Loading the model runs out of GPU memory: vLLM's log line, and /health never becomes ready. */
  OOM;

  /**
   * Parses {@code none}, {@code crash}, {@code hang}, {@code 5xx} (or {@code error}), {@code oom}.
   */
  public static EngineFault parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "", "none" -> NONE;
      case "crash" -> CRASH;
      case "hang" -> HANG;
      case "5xx", "error", "500" -> ERROR;
      case "oom" -> OOM;
      default ->
          throw new IllegalArgumentException(
              "unknown engine fault '" + text + "' (none, crash, hang, 5xx, oom)");
    };
  }
}
