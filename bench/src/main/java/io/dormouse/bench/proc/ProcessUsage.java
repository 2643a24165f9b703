package io.dormouse.bench.proc;

/** CPU used so far and resident memory now, of a process and its descendants. */
public record ProcessUsage(double cpuSeconds, long rssKb) {

  public static final ProcessUsage NONE = new ProcessUsage(0, 0);

  public double rssMb() {
    return rssKb / 1024.0;
  }
}
