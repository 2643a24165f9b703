package io.dormouse.bench.targets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process the benchmark starts: its output goes to a log file (and to watchers of its lines),
 * and closing it stops it, gracefully first.
 */
public final class ChildProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

  private final String name;
  private final Process process;
  private final List<Watcher> watchers = new ArrayList<>();

  private record Watcher(Predicate<String> match, CompletableFuture<String> line) {}

  private ChildProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /** Starts {@code command}, logging its output to {@code logDir/<name>.log}. */
  public static ChildProcess start(
      String name, List<String> command, Map<String, String> env, Path logDir) throws IOException {
    Files.createDirectories(logDir);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    ChildProcess child = new ChildProcess(name, builder.start());
    Path log = logDir.resolve(name + ".log");
    Thread pump = new Thread(() -> child.pump(log), name + "-output");
    pump.setDaemon(true);
    pump.start();
    LOG.info("{}: started pid {}, logging to {}", name, child.pid(), log);
    return child;
  }

  /** A JVM running {@code mainClass} on this JVM's class path. */
  public static List<String> java(String mainClass, List<String> jvmArgs, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  private void pump(Path log) {
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        var file =
            Files.newBufferedWriter(
                log, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
      String line;
      while ((line = out.readLine()) != null) {
        file.write(line);
        file.newLine();
        file.flush();
        synchronized (watchers) {
          for (Watcher w : watchers) {
            if (!w.line().isDone() && w.match().test(line)) {
              w.line().complete(line);
            }
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("{}: output closed", name, e);
    }
    synchronized (watchers) {
      watchers.forEach(
          w -> w.line().completeExceptionally(new IllegalStateException(name + " exited")));
    }
  }

  /** Waits for the first output line that matches; fails if the process exits first. */
  public String awaitLine(Predicate<String> match, Duration timeout) throws Exception {
    CompletableFuture<String> line = new CompletableFuture<>();
    synchronized (watchers) {
      watchers.add(new Watcher(match, line));
    }
    try {
      return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          name + " did not print the expected line within " + timeout + " (see its log)", e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public String name() {
    return name;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the process to exit on its own; returns its exit code. */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " still runs after " + timeout);
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("{}: stopped pid {}", name, pid());
  }
}
