package io.dormouse.operator.lifecycle;

import java.util.List;

/**
 * The one vocabulary of why: {@code status.reason}, the reason of each {@code status.history} entry
 * and of each Event on the endpoint are these words, and a phase change says the same word in all
 * three. docs/concepts.md lists them.
 */
public final class Reasons {

  /** New: asleep until the first request (phase Hibernated). */
  public static final String CREATED = "Created";

  /** A wake began on a tier (phase Waking). */
  public static final String WAKING = "Waking";

  /** A replica of the woken tier is ready, or all replicas are again (phase Ready). */
  public static final String READY = "Ready";

  /** A tier could not start; the wake goes on on the next tier (phase Waking). */
  public static final String TIER_FALLBACK = "TierFallback";

  /** A wake that was asked for found no usable tier (phase Failed). */
  public static final String WAKE_FAILED = "WakeFailed";

  /** Serving below the top tier: the higher tier is tried again (Event only). */
  public static final String TIER_RETRY = "TierRetry";

  /** The higher tier is ready; the lower one drains (history entry and Event). */
  public static final String TIER_MOVED_BACK = "TierMovedBack";

  /** The load asks for more replicas (Event only; the ScalingLimited condition says the limit). */
  public static final String SCALED_UP = "ScaledUp";

  /** The load stayed lower for scaleDownDelay: fewer replicas (Event only). */
  public static final String SCALED_DOWN = "ScaledDown";

  /** Replicas the active tier's cap cannot hold start on a lower tier (Event only). */
  public static final String TIER_SPILL_OVER = "TierSpillOver";

  /** Fewer ready replicas than asked (phase Degraded), or none left (phase Waking again). */
  public static final String REPLICA_UNAVAILABLE = "ReplicaUnavailable";

  /** Idle for idleTimeout: going to zero (phase Hibernating). */
  public static final String HIBERNATING = "Hibernating";

  /** No engine pod left, or back to sleep after a failure cleared (phase Hibernated). */
  public static final String HIBERNATED = "Hibernated";

  /** The spec cannot be served as written (phase Failed). */
  public static final String INVALID_SPEC = "InvalidSpec";

  /**
   * model.preset names no preset of the catalog: phase Failed when model.name is unset too, else an
   * Event and the PresetResolved condition only.
   */
  public static final String PRESET_NOT_FOUND = "PresetNotFound";

  /**
   * A GpuTier named in spec.tiers does not exist: phase Failed when none does, else an Event and
   * the TiersResolved condition only.
   */
  public static final String TIER_NOT_FOUND = "TierNotFound";

  /**
   * Another endpoint claimed the served name first: an Event and the Ready and ServedNameOwned
   * conditions; the phase goes on, since the qualified name may still reach the endpoint.
   */
  public static final String SERVED_NAME_CONFLICT = "ServedNameConflict";

  /**
   * The namespace does not allow some of spec.access: an Event and the ProjectsAllowed condition.
   */
  public static final String PROJECTS_REFUSED = "ProjectsRefused";

  public static final List<String> ALL =
      List.of(
          CREATED,
          WAKING,
          READY,
          TIER_FALLBACK,
          WAKE_FAILED,
          TIER_RETRY,
          TIER_MOVED_BACK,
          REPLICA_UNAVAILABLE,
          HIBERNATING,
          HIBERNATED,
          INVALID_SPEC,
          PRESET_NOT_FOUND,
          TIER_NOT_FOUND,
          SERVED_NAME_CONFLICT,
          PROJECTS_REFUSED,
          SCALED_UP,
          SCALED_DOWN,
          TIER_SPILL_OVER);

  /** Failures of the spec itself: they end as soon as the spec (or the cluster) is fixed. */
  static final List<String> SPEC_FAILURES = List.of(INVALID_SPEC, PRESET_NOT_FOUND, TIER_NOT_FOUND);

  private Reasons() {}
}
