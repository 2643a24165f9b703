package io.dormouse.bench.proc;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of another JVM: a full GC through {@code jcmd}, then the heap's used size, so that
 * garbage does not count as memory held.
 */
public final class JvmHeap {

  private static final Pattern SPACE_USED = Pattern.compile("total\\s+\\d+K,\\s+used\\s+(\\d+)K");

  private JvmHeap() {}

  /**
   * Used heap in kilobytes from the output of {@code jcmd <pid> GC.heap_info}: G1 prints one heap
   * line, the generational collectors one line per generation; metaspace is not heap.
   */
  public static long usedKb(String heapInfo) {
    long used = 0;
    boolean found = false;
    for (String line : heapInfo.split("\n")) {
      Matcher m = SPACE_USED.matcher(line);
      if (m.find() && !line.contains("Metaspace") && !line.contains("class space")) {
        used += Long.parseLong(m.group(1));
        found = true;
      }
    }
    if (!found) {
      throw new IllegalArgumentException("no heap line in: " + heapInfo);
    }
    return used;
  }

  /** Collects garbage in {@code pid}, then returns its used heap in bytes. */
  public static long liveBytesAfterGc(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    return usedKb(jcmd(pid, "GC.heap_info")) * 1024;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }
}
