package io.dormouse.bench.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dormouse.bench.cluster.ClusterLimitResult;
import io.dormouse.bench.matrix.CellComparison;
import io.dormouse.bench.operatorscale.OperatorScaleResult;
import io.dormouse.bench.wake.WakeResult;
import java.util.List;

/** Everything one benchmark run found: written as results.json and rendered as Markdown. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BenchReport(
    String mode,
    String startedAt,
    Machine machine,
    List<CellComparison> cells,
    WakeResult wake,
    OperatorScaleResult operatorScale,
    ClusterLimitResult clusterLimits,
    List<TargetCheck> checks,
    List<String> notes) {}
