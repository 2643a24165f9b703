package io.dormouse.bench.targets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process the benchmark starts. Its output goes straight to a log file (the kernel writes it,
 * so a chatty target costs the benchmark's own process nothing), and closing it stops it,
 * gracefully first.
 */
public final class ChildProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command}, its stdout and stderr going to {@code logDir/<name>.log}. */
  public static ChildProcess start(
      String name, List<String> command, Map<String, String> env, Path logDir) throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    ChildProcess child = new ChildProcess(name, builder.start(), log);
    LOG.info("{}: started pid {}, output in {}", name, child.pid(), log);
    return child;
  }

  /** A JVM running {@code mainClass} on this JVM's class path. */
  public static List<String> java(String mainClass, List<String> jvmArgs, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    // Several jars carry a logback.xml; logback's notice about it is noise in every log.
    command.add("-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /**
   * Polls the output for the first line that matches; fails when the process exits without one or
   * the timeout passes.
   */
  public String awaitLine(Predicate<String> match, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean exited = !process.isAlive();
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (match.test(line)) {
          return line;
        }
      }
      if (exited) {
        throw new IllegalStateException(
            name + " exited without the expected line (see " + log + ")");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + " did not print the expected line within " + timeout + " (see " + log + ")");
      }
      Thread.sleep(50);
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

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("{}: stopped pid {}", name, pid());
  }
}
