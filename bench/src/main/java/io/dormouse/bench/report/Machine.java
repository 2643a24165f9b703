package io.dormouse.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a run was made on, as the page must state it.
 *
 * @param loadAverage the 1-minute load average when the run started: how much else ran
 */
public record Machine(
    int cpus, String cpuModel, long memoryMb, String jdk, String os, double loadAverage) {

  public static Machine here() {
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        firstValue("/proc/cpuinfo", "model name"),
        parseKb(firstValue("/proc/meminfo", "MemTotal")) / 1024,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        readLoadAverage());
  }

  private static double readLoadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static String firstValue(String file, String key) {
    try {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }

  private static long parseKb(String value) {
    try {
      return Long.parseLong(value.split("\\s+")[0]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
