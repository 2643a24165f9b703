package io.dormouse.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples a process and its descendants (nginx's workers, say) from {@code /proc}. Processes that
 * exit between listing and reading are skipped.
 */
public final class ProcessSampler {

  private final long rootPid;
  private final double ticksPerSecond;

  public ProcessSampler(long rootPid, double ticksPerSecond) {
    this.rootPid = rootPid;
    this.ticksPerSecond = ticksPerSecond;
  }

  /** USER_HZ, which /proc's CPU fields count in; 100 on every common Linux. */
  public static double clockTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 ? Double.parseDouble(out) : 100;
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }

  public ProcessUsage sample() {
    long ticks = 0;
    long rss = 0;
    for (long pid : tree()) {
      try {
        ticks += ProcFiles.cpuTicks(Files.readString(Path.of("/proc", pid + "", "stat")));
        rss += ProcFiles.rssKb(Files.readString(Path.of("/proc", pid + "", "status")));
      } catch (IOException e) {
        // exited meanwhile: its CPU is gone from the tree, as it would be from any tool
      }
    }
    return new ProcessUsage(ticks / ticksPerSecond, rss);
  }

  private List<Long> tree() {
    List<Long> pids = new ArrayList<>();
    pids.add(rootPid);
    ProcessHandle.of(rootPid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
    return pids;
  }
}
