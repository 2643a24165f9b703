package io.dormouse.ledger.store;

import io.dormouse.ledger.rows.GpuInterval;
import io.dormouse.ledger.rows.NodeInterval;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Interval rows of one batch merged per key: the first row's start, the first end seen. */
final class Intervals {

  private Intervals() {}

  static List<GpuInterval> mergeGpu(List<GpuInterval> rows) {
    Map<String, GpuInterval> byUid = new LinkedHashMap<>();
    for (GpuInterval row : rows) {
      byUid.merge(
          row.podUid(),
          row,
          (first, next) ->
              first.endedAt() == null && next.endedAt() != null
                  ? first.closedAt(next.endedAt())
                  : first);
    }
    return new ArrayList<>(byUid.values());
  }

  static List<NodeInterval> mergeNodes(List<NodeInterval> rows) {
    Map<String, NodeInterval> byUid = new LinkedHashMap<>();
    for (NodeInterval row : rows) {
      byUid.merge(
          row.nodeUid(),
          row,
          (first, next) ->
              first.endedAt() == null && next.endedAt() != null
                  ? new NodeInterval(
                      first.nodeUid(),
                      first.node(),
                      first.tier(),
                      first.gpus(),
                      first.pricePerGpuHour(),
                      first.currency(),
                      first.startedAt(),
                      next.endedAt())
                  : first);
    }
    return new ArrayList<>(byUid.values());
  }
}
