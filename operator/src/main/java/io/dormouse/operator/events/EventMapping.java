package io.dormouse.operator.events;

import io.dormouse.api.events.EventType;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.operator.lifecycle.JournalEvent;
import io.dormouse.operator.lifecycle.Reasons;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which CloudEvents types one decision's journal stands for: pure, from the journal's reasons and
 * the phase before and after.
 */
public final class EventMapping {

  private static final Map<String, EventType> BY_REASON =
      Map.of(
          Reasons.CREATED, EventType.ENDPOINT_CREATED,
          Reasons.WAKING, EventType.ENDPOINT_WAKING,
          Reasons.READY, EventType.ENDPOINT_READY,
          Reasons.TIER_FALLBACK, EventType.ENDPOINT_TIER_FALLBACK,
          Reasons.TIER_MOVED_BACK, EventType.ENDPOINT_TIER_MOVED_BACK,
          Reasons.REPLICA_UNAVAILABLE, EventType.ENDPOINT_REPLICA_UNAVAILABLE,
          Reasons.HIBERNATING, EventType.ENDPOINT_HIBERNATING,
          Reasons.HIBERNATED, EventType.ENDPOINT_HIBERNATED,
          Reasons.WAKE_FAILED, EventType.ENDPOINT_FAILED);

  /** One event to send: its type and the journal entry it came from (null for a phase change). */
  public record Mapped(EventType type, JournalEvent source) {}

  private EventMapping() {}

  /**
   * The events of one decision, in journal order; a phase change into Degraded or Failed that no
   * journal entry named adds its own event at the end. One type at most once per decision.
   */
  public static List<Mapped> of(List<JournalEvent> journal, Phase before, Phase after) {
    List<Mapped> out = new ArrayList<>();
    for (JournalEvent e : journal) {
      EventType type = BY_REASON.get(e.reason());
      if (type != null && out.stream().noneMatch(m -> m.type() == type)) {
        out.add(new Mapped(type, e));
      }
    }
    if (after == Phase.Degraded && before != Phase.Degraded) {
      out.add(new Mapped(EventType.ENDPOINT_DEGRADED, null));
    }
    if (after == Phase.Failed
        && before != Phase.Failed
        && out.stream().noneMatch(m -> m.type() == EventType.ENDPOINT_FAILED)) {
      out.add(new Mapped(EventType.ENDPOINT_FAILED, null));
    }
    return out;
  }
}
