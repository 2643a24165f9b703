package io.dormouse.sim.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What an engine writes to its standard output, in vLLM's own style: its logger's lines ({@code
 * INFO 12-02 07:10:21 [api_server.py:1043] ...}) and uvicorn's ({@code INFO: Application startup
 * complete.}). A pod's log in the sim is this. The last {@value #KEPT} lines are kept.
 */
public final class EngineLog {

  /** One line and when it was written. */
  public record Line(Instant at, String text) {}

  static final int KEPT = 5000;
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private final Clock clock;
  private final Deque<Line> lines = new ArrayDeque<>();
  private final List<Consumer<Line>> followers = new CopyOnWriteArrayList<>();

  EngineLog(Clock clock) {
    this.clock = clock;
  }

  /** A line of vLLM's logger: level, time, source file and line, message. */
  void vllm(String level, String source, String message) {
    Instant now = clock.instant();
    add(new Line(now, level + " " + STAMP.format(now) + " [" + source + "] " + message));
  }

  /** A line of uvicorn, vLLM's HTTP server: {@code INFO: <message>}. */
  void uvicorn(String level, String message) {
    String prefix = level + ":";
    add(
        new Line(
            clock.instant(), prefix + " ".repeat(Math.max(1, 10 - prefix.length())) + message));
  }

  private void add(Line line) {
    synchronized (lines) {
      lines.addLast(line);
      if (lines.size() > KEPT) {
        lines.removeFirst();
      }
    }
    followers.forEach(f -> f.accept(line));
  }

  public List<Line> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** Calls {@code follower} with every line written from now on, until the handle is closed. */
  public AutoCloseable follow(Consumer<Line> follower) {
    followers.add(follower);
    return () -> followers.remove(follower);
  }
}
