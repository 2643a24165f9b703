package io.dormouse.bench.report;

import io.dormouse.bench.matrix.CellComparison;
import io.dormouse.bench.operatorscale.OperatorScaleResult;
import io.dormouse.bench.wake.WakeResult;
import java.util.Locale;

/** Renders a run as the Markdown tables docs/benchmarks.md shows. */
public final class MarkdownReport {

  private MarkdownReport() {}

  public static String render(BenchReport r) {
    StringBuilder md = new StringBuilder();
    md.append("Mode: `")
        .append(r.mode())
        .append("`, started ")
        .append(r.startedAt())
        .append(". Machine: ")
        .append(r.machine().cpus())
        .append(" CPUs (")
        .append(r.machine().cpuModel())
        .append("), ")
        .append(r.machine().memoryMb())
        .append(" MB, ")
        .append(r.machine().jdk())
        .append(", load average ")
        .append(f1(r.machine().loadAverage()))
        .append(" at the start.\n\n");

    md.append("### Throughput and latency (medians of paired repeats; latency in ms)\n\n")
        .append(
            "| cell | req/s direct | req/s gateway | req/s nginx | gateway ÷ nginx req/s |"
                + " P50 / P99 / P99.9 direct | P50 / P99 / P99.9 gateway | P50 / P99 / P99.9 nginx |"
                + " gateway added P50 / P99 / P99.9 | nginx added P50 / P99 |"
                + " gateway ÷ nginx P99 | errors |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (CellComparison c : r.cells()) {
      md.append("| ")
          .append(c.cell())
          .append(" | ")
          .append(f0(c.directThroughput()))
          .append(" | ")
          .append(f0(c.gatewayThroughput()))
          .append(" | ")
          .append(f0(c.nginxThroughput()))
          .append(" | ")
          .append(f2(c.throughputRatioToNginx()))
          .append(" | ")
          .append(triple(c.directP50(), c.directP99(), c.directP999()))
          .append(" | ")
          .append(triple(c.gatewayP50(), c.gatewayP99(), c.gatewayP999()))
          .append(" | ")
          .append(triple(c.nginxP50(), c.nginxP99(), c.nginxP999()))
          .append(" | ")
          .append(triple(c.gatewayAddedP50(), c.gatewayAddedP99(), c.gatewayAddedP999()))
          .append(" | ")
          .append(f3(c.nginxAddedP50()))
          .append(" / ")
          .append(f3(c.nginxAddedP99()))
          .append(" | ")
          .append(f2(c.p99RatioToNginx()))
          .append(" | ")
          .append(c.errors())
          .append(" |\n");
    }

    md.append("\n### Streaming (ms; chunks = server-sent events, reads = network reads)\n\n")
        .append(
            "| cell | TTFT added P50 / P99 | inter-chunk gap added P50 / P99 |"
                + " events per response direct / gateway | reads per response direct / gateway |\n")
        .append("|---|---:|---:|---:|---:|\n");
    for (CellComparison c : r.cells()) {
      if (!c.streaming()) {
        continue;
      }
      md.append("| ")
          .append(c.cell())
          .append(" | ")
          .append(f3(c.ttftAddedP50()))
          .append(" / ")
          .append(f3(c.ttftAddedP99()))
          .append(" | ")
          .append(f3(c.gapAddedP50()))
          .append(" / ")
          .append(f3(c.gapAddedP99()))
          .append(" | ")
          .append(f1(c.directEventsPerResponse()))
          .append(" / ")
          .append(f1(c.gatewayEventsPerResponse()))
          .append(" | ")
          .append(f1(c.directReadsPerResponse()))
          .append(" / ")
          .append(f1(c.gatewayReadsPerResponse()))
          .append(" |\n");
    }

    md.append("\n### Against nginx with one worker per core (`worker_processes auto`)\n\n")
        .append(
            "| cell | req/s nginx auto | gateway ÷ nginx auto req/s | P50 / P99 nginx auto |"
                + " nginx auto added P50 | gateway ÷ nginx auto P99 |"
                + " TTFT added P50 gateway / nginx / nginx auto |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (CellComparison c : r.cells()) {
      md.append("| ")
          .append(c.cell())
          .append(" | ")
          .append(f0(c.nginxAutoThroughput()))
          .append(" | ")
          .append(f2(c.throughputRatioToNginxAuto()))
          .append(" | ")
          .append(f3(c.nginxAutoP50()))
          .append(" / ")
          .append(f3(c.nginxAutoP99()))
          .append(" | ")
          .append(f3(c.nginxAutoAddedP50()))
          .append(" | ")
          .append(f2(c.p99RatioToNginxAuto()))
          .append(" | ")
          .append(
              c.streaming()
                  ? f3(c.ttftAddedP50())
                      + " / "
                      + f3(c.nginxTtftAddedP50())
                      + " / "
                      + f3(c.nginxAutoTtftAddedP50())
                  : "-")
          .append(" |\n");
    }

    md.append("\n### CPU per request of each proxy (over the measured windows)\n\n")
        .append(
            "| cell | gateway CPU per request (µs) | nginx (1 worker) | nginx auto |"
                + " gateway ÷ nginx auto CPU | gateway CPU (cores) | gateway RSS (MB, max) |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (CellComparison c : r.cells()) {
      md.append("| ")
          .append(c.cell())
          .append(" | ")
          .append(f0(c.gatewayCpuPerRequestUs()))
          .append(" | ")
          .append(f0(c.nginxCpuPerRequestUs()))
          .append(" | ")
          .append(f0(c.nginxAutoCpuPerRequestUs()))
          .append(" | ")
          .append(f2(c.cpuRatioToNginxAuto()))
          .append(" | ")
          .append(f2(c.gatewayCpuCores()))
          .append(" | ")
          .append(f0(c.gatewayRssMb()))
          .append(" |\n");
    }

    if (r.clusterLimits() != null) {
      md.append("\n### Cluster-wide limit accuracy (")
          .append(r.clusterLimits().replicas())
          .append(" gateway replicas, limit ")
          .append(f0(r.clusterLimits().limit()))
          .append(" req/s, twice that offered)\n\n")
          .append("| traffic | offered req/s | admitted req/s | admitted ÷ limit |\n")
          .append("|---|---:|---:|---:|\n");
      for (var s : r.clusterLimits().scenarios()) {
        md.append("| ")
            .append(s.name())
            .append(" | ")
            .append(f0(s.offered()))
            .append(" | ")
            .append(f1(s.admitted()))
            .append(" | ")
            .append(f2(s.ratio()))
            .append(" |\n");
      }
    }

    WakeResult w = r.wake();
    if (w != null) {
      md.append("\n### Wake path (")
          .append(
              w.operator().equals("operator")
                  ? "the real operator process"
                  : "the benchmark played the operator")
          .append("; medians over ")
          .append(w.trials())
          .append(" cold wakes)\n\n")
          .append("| figure | value |\n|---|---:|\n")
          .append(row("trials", String.valueOf(w.trials())))
          .append(row("cold request → Lease write (median)", f1(w.coldToLeaseWriteMs()) + " ms"))
          .append(
              row(
                  "cold request → Deployment scale write (median)",
                  f1(w.coldToScaleWriteMs()) + " ms"))
          .append(
              row("EndpointSlice ready → first byte (median)", f1(w.readyToFirstByteMs()) + " ms"))
          .append(row("cold requests held at once", String.valueOf(w.waiters())))
          .append(row("served / failed", w.served() + " / " + w.failed()))
          .append(row("Lease writes while they waited", String.valueOf(w.leaseWritesDuringBurst())))
          .append(
              row(
                  "gateway heap per 1000 waiting (after GC)",
                  f1(w.heapPerThousandWaitersMb()) + " MB"))
          .append(row("gateway RSS per 1000 waiting", f1(w.rssPerThousandWaitersMb()) + " MB"))
          .append(row("all 1000 served after ready in", f2(w.burstReleaseSeconds()) + " s"));
    }

    OperatorScaleResult o = r.operatorScale();
    if (o != null) {
      md.append("\n### Operator scale\n\n")
          .append("| figure | value |\n|---|---:|\n")
          .append(row("endpoints created at once", String.valueOf(o.endpoints())))
          .append(
              row(
                  "until all Hibernated with Deployment and Service",
                  f1(o.secondsToAllHibernated()) + " s"))
          .append(
              row(
                  "Hibernated / Deployments / Services",
                  o.hibernated() + " / " + o.deployments() + " / " + o.services()))
          .append(
              row(
                  "steady state CPU over " + f0(o.windowSeconds()) + " s",
                  f3(o.steadyCpuCores()) + " cores"))
          .append(row("reconciles in that window", f0(o.steadyReconciles())))
          .append(row("CPU per reconcile", f0(o.cpuPerReconcileUs()) + " µs"))
          .append(
              row(
                  "CPU per endpoint per minute (steady)",
                  f2(o.cpuPerEndpointPerMinuteMs()) + " ms"))
          .append(row("operator RSS", f0(o.rssMb()) + " MB"));
    }

    md.append("\n### Targets\n\n| target | measured | verdict |\n|---|---|---|\n");
    for (TargetCheck t : r.checks()) {
      md.append("| ")
          .append(t.target())
          .append(" | ")
          .append(t.measured())
          .append(" | ")
          .append(t.verdict())
          .append(" |\n");
    }
    if (!r.notes().isEmpty()) {
      md.append("\nNotes:\n\n");
      r.notes().forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }

  private static String row(String name, String value) {
    return "| " + name + " | " + value + " |\n";
  }

  private static String triple(double a, double b, double c) {
    return f3(a) + " / " + f3(b) + " / " + f3(c);
  }

  static String f0(double v) {
    return fmt("%.0f", v);
  }

  static String f1(double v) {
    return fmt("%.1f", v);
  }

  static String f2(double v) {
    return fmt("%.2f", v);
  }

  static String f3(double v) {
    return fmt("%.3f", v);
  }

  private static String fmt(String format, double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, format, v);
  }
}
