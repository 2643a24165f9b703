package io.dormouse.bench.operatorscale;

/**
 * The operator against many endpoints at once.
 *
 * @param secondsToAllHibernated from creating the endpoints (operator already running) until every
 *     one has status.phase Hibernated and its Deployment and Service exist
 * @param steadyCpuCores the operator process's CPU over a quiet window, in cores
 * @param steadyReconciles reconciles in that window (NaN when the operator exports no count)
 * @param cpuPerReconcileUs steadyCpu / reconciles, in µs
 * @param cpuPerEndpointPerMinuteMs steadyCpu / endpoints, per minute of wall time, in ms
 */
public record OperatorScaleResult(
    int endpoints,
    double secondsToAllHibernated,
    int hibernated,
    int deployments,
    int services,
    double windowSeconds,
    double steadyCpuCores,
    double steadyReconciles,
    double cpuPerReconcileUs,
    double cpuPerEndpointPerMinuteMs,
    double rssMb) {}
