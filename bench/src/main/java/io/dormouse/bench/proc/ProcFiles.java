package io.dormouse.bench.proc;

/** Parsers for the two {@code /proc/<pid>} files the benchmark reads. */
public final class ProcFiles {

  private ProcFiles() {}

  /**
   * utime + stime, in clock ticks, from the text of {@code /proc/<pid>/stat}. The command name in
   * parentheses may hold spaces and parentheses, so fields are counted after the last ')'.
   */
  public static long cpuTicks(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
    }
    String[] fields = stat.substring(close + 1).trim().split("\\s+");
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** VmRSS in kilobytes from the text of {@code /proc/<pid>/status}; 0 when absent (a zombie). */
  public static long rssKb(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring("VmRSS:".length()).trim().split("\\s+")[0]);
      }
    }
    return 0;
  }
}
