package io.dormouse.operator.ledger;

import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.ledger.rows.JournalEntry;
import io.dormouse.operator.lifecycle.JournalEvent;
import io.dormouse.operator.lifecycle.Plan;
import io.dormouse.operator.lifecycle.Reasons;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The ledger's journal entries of one decision: the Events it posts, plus SpecChanged when the
 * spec's generation moved. Pure.
 *
 * <p>An entry's kind is the Event's reason, one vocabulary with status and Events, except where the
 * phase says more: a {@code ReplicaUnavailable} that leaves the endpoint Degraded is {@code
 * Degraded}; a {@code WakeFailed} or {@code InvalidSpec}, and a {@code PresetNotFound} or {@code
 * TierNotFound} that leaves it Failed, is {@code Failed}. The reason column keeps the Event's
 * reason either way.
 *
 * <p>Ids are derived from the endpoint's uid and the entry's content, so an entry offered twice (a
 * retried reconcile at the same instant, a replayed spool) is stored once. SpecChanged and Deleted
 * are keyed by uid and generation alone: a restart that sees the same change again writes nothing
 * new.
 */
public final class JournalEntries {

  public static final String SPEC_CHANGED = "SpecChanged";
  public static final String DEGRADED = "Degraded";
  public static final String FAILED = "Failed";
  public static final String DELETED = "Deleted";

  private static final Set<String> FAILURES = Set.of(Reasons.WAKE_FAILED, Reasons.INVALID_SPEC);

  /** Failures of the spec that fail the endpoint only when nothing at all can run it. */
  private static final Set<String> FAILED_WHEN_PHASE_SAYS_SO =
      Set.of(Reasons.PRESET_NOT_FOUND, Reasons.TIER_NOT_FOUND);

  /** The journal table refuses longer messages. */
  static final int MESSAGE_LIMIT = 2048;

  private JournalEntries() {}

  public static List<JournalEntry> of(
      EndpointRef ref, InferenceEndpointStatus before, Plan plan, Instant now) {
    List<JournalEntry> out = new ArrayList<>();
    Long seen = before == null ? null : before.getObservedGeneration();
    if (seen != null && ref.generation() != null && !seen.equals(ref.generation())) {
      out.add(
          new JournalEntry(
              id(ref.uid(), SPEC_CHANGED, String.valueOf(ref.generation())),
              now,
              ref.namespace(),
              ref.name(),
              SPEC_CHANGED,
              null,
              plan.status().getReplicas(),
              plan.status().getReason(),
              "spec generation " + seen + " -> " + ref.generation()));
    }
    Phase after = plan.status().getPhase();
    for (JournalEvent event : plan.events()) {
      String kind = kindOf(event, after);
      Integer replicas =
          event.tier() == null ? plan.status().getReplicas() : plan.replicasOf(event.tier());
      String message = clip(event.message());
      out.add(
          new JournalEntry(
              id(
                  ref.uid(),
                  kind,
                  event.reason(),
                  Objects.toString(event.tier()),
                  now.toString(),
                  message),
              now,
              ref.namespace(),
              ref.name(),
              kind,
              event.tier(),
              replicas,
              event.reason(),
              message));
    }
    return out;
  }

  /** The endpoint is gone; one entry per endpoint uid. */
  public static JournalEntry deleted(EndpointRef ref, InferenceEndpointStatus last, Instant now) {
    return new JournalEntry(
        id(ref.uid(), DELETED),
        now,
        ref.namespace(),
        ref.name(),
        DELETED,
        last == null ? null : last.getActiveTier(),
        0,
        DELETED,
        "the InferenceEndpoint was deleted"
            + (last == null || last.getPhase() == null ? "" : " in phase " + last.getPhase()));
  }

  static String kindOf(JournalEvent event, Phase after) {
    if (Reasons.REPLICA_UNAVAILABLE.equals(event.reason()) && after == Phase.Degraded) {
      return DEGRADED;
    }
    if (FAILURES.contains(event.reason())
        || FAILED_WHEN_PHASE_SAYS_SO.contains(event.reason()) && after == Phase.Failed) {
      return FAILED;
    }
    return event.reason();
  }

  private static String clip(String message) {
    String m = message == null ? "" : message;
    return m.length() <= MESSAGE_LIMIT ? m : m.substring(0, MESSAGE_LIMIT - 1) + "…";
  }

  private static UUID id(String... parts) {
    return UUID.nameUUIDFromBytes(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8));
  }
}
