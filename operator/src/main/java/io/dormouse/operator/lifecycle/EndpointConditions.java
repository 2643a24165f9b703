package io.dormouse.operator.lifecycle;

import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.api.v1alpha1.TierStatus;
import io.dormouse.operator.scaling.Recommendation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The endpoint's Kubernetes-style conditions, derived from its new status. A condition keeps its
 * lastTransitionTime while its status does not change.
 */
public final class EndpointConditions {

  public static final String READY = "Ready";
  public static final String AVAILABLE = "Available";
  public static final String DEGRADED = "Degraded";
  public static final String TIERS_RESOLVED = "TiersResolved";
  public static final String PRESET_RESOLVED = "PresetResolved";
  public static final String SERVED_NAME_OWNED = "ServedNameOwned";
  public static final String PROJECTS_ALLOWED = "ProjectsAllowed";
  public static final String SCALING_LIMITED = "ScalingLimited";

  private EndpointConditions() {}

  static List<Condition> of(
      List<Condition> before,
      InferenceEndpointStatus status,
      Intent intent,
      Tenancy tenancy,
      Recommendation scale,
      Instant now) {
    Phase phase = status.getPhase();
    int ready = status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
    List<String> missing =
        status.getTiers().stream()
            .filter(t -> Reasons.TIER_NOT_FOUND.equals(t.getReason()))
            .map(TierStatus::getName)
            .toList();
    return List.of(
        ready(before, status, intent, tenancy, now),
        condition(
            before,
            AVAILABLE,
            ready > 0,
            ready > 0 ? "ReplicasReady" : "NoReadyReplicas",
            ready + " engine replica(s) ready",
            intent,
            now),
        condition(
            before,
            DEGRADED,
            phase == Phase.Degraded || phase == Phase.Failed,
            phase == Phase.Degraded || phase == Phase.Failed
                ? Objects.requireNonNullElse(status.getReason(), phase.name())
                : "AsExpected",
            phase == Phase.Degraded || phase == Phase.Failed ? status.getMessage() : "",
            intent,
            now),
        condition(
            before,
            TIERS_RESOLVED,
            missing.isEmpty(),
            missing.isEmpty() ? "AllTiersFound" : Reasons.TIER_NOT_FOUND,
            missing.isEmpty() ? "every GpuTier named in spec.tiers exists" : tiersNotFound(missing),
            intent,
            now),
        condition(
            before,
            PRESET_RESOLVED,
            intent.missingPreset() == null,
            intent.missingPreset() == null ? "PresetFound" : Reasons.PRESET_NOT_FOUND,
            intent.missingPreset() == null
                ? "model.preset, if set, is in the model catalog"
                : presetNotFound(intent.missingPreset()),
            intent,
            now),
        condition(
            before,
            SERVED_NAME_OWNED,
            !tenancy.conflict(),
            tenancy.conflict() ? Reasons.SERVED_NAME_CONFLICT : "FirstClaim",
            tenancy.conflict() ? tenancy.conflictMessage() : tenancy.ownedMessage(),
            intent,
            now),
        condition(
            before,
            PROJECTS_ALLOWED,
            !tenancy.grant().refusesAny(),
            tenancy.grant().refusesAny() ? Reasons.PROJECTS_REFUSED : "Allowed",
            tenancy.grant().refusesAny() ? tenancy.refusedMessage() : tenancy.allowedMessage(),
            intent,
            now),
        scalingLimited(before, intent, scale, now));
  }

  /**
   * True while the load asks for more than maxReplicas or less than minReplicas; its message says
   * how the awake count was chosen, in the autoscaling form.
   */
  private static Condition scalingLimited(
      List<Condition> before, Intent intent, Recommendation scale, Instant now) {
    if (intent.scaling().isFixed()) {
      return condition(
          before,
          SCALING_LIMITED,
          false,
          "FixedReplicas",
          "spec.replicas fixes the count while awake",
          intent,
          now);
    }
    Recommendation.Limit limit = scale.limit();
    return condition(
        before,
        SCALING_LIMITED,
        limit != Recommendation.Limit.NONE,
        switch (limit) {
          case AT_MAX -> "TooManyReplicas";
          case AT_MIN -> "TooFewReplicas";
          case NONE -> "WithinRange";
        },
        // Rounded so that a load that wobbles does not rewrite the status on every look.
        scalingSummary(intent, scale),
        intent,
        now);
  }

  private static String scalingSummary(Intent intent, Recommendation scale) {
    var p = intent.scaling();
    return switch (scale.limit()) {
      case AT_MAX -> "the load asks for more than maxReplicas " + p.maxReplicas();
      case AT_MIN -> "the load asks for fewer than minReplicas " + p.minReplicas();
      case NONE ->
          "between "
              + p.minReplicas()
              + " and "
              + p.maxReplicas()
              + " replicas, aiming at "
              + p.target()
              + " in flight or queued per replica";
    };
  }

  /**
   * Ready: serving under its served name. An endpoint whose name another one owns, or which no key
   * may call, is not, whatever its phase: the phase still follows the lifecycle, since a qualified
   * name (or a project let in later) may reach it.
   */
  private static Condition ready(
      List<Condition> before,
      InferenceEndpointStatus status,
      Intent intent,
      Tenancy tenancy,
      Instant now) {
    if (tenancy.conflict()) {
      return condition(
          before,
          READY,
          false,
          Reasons.SERVED_NAME_CONFLICT,
          tenancy.conflictMessage(),
          intent,
          now);
    }
    if (tenancy.unreachableByProjects()) {
      return condition(
          before, READY, false, Reasons.PROJECTS_REFUSED, tenancy.refusedMessage(), intent, now);
    }
    Phase phase = status.getPhase();
    boolean serving = phase == Phase.Ready || phase == Phase.Degraded;
    return condition(
        before,
        READY,
        serving,
        serving ? "Serving" : phase.name(),
        status.getMessage(),
        intent,
        now);
  }

  static String tiersNotFound(List<String> missing) {
    return missing.stream().map(t -> "GpuTier \"" + t + "\"").collect(Collectors.joining(", "))
        + " not found";
  }

  /** Whether the conditions already said this: a condition of this type, False, this message. */
  static boolean said(List<Condition> before, String type, String message) {
    return before != null
        && before.stream()
            .anyMatch(
                c ->
                    type.equals(c.getType())
                        && "False".equals(c.getStatus())
                        && message.equals(c.getMessage()));
  }

  static String presetNotFound(String preset) {
    return "preset \"" + preset + "\" is not in the model catalog";
  }

  /** Whether the conditions already said that this preset is missing. */
  static boolean saidPresetMissing(List<Condition> before, String preset) {
    return said(before, PRESET_RESOLVED, presetNotFound(preset));
  }

  private static Condition condition(
      List<Condition> before,
      String type,
      boolean isTrue,
      String reason,
      String message,
      Intent intent,
      Instant now) {
    String status = isTrue ? "True" : "False";
    String since =
        before == null
            ? null
            : before.stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .findFirst()
                .orElse(null);
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message == null ? "" : message)
        .withObservedGeneration(intent.generation())
        .withLastTransitionTime(
            since != null ? since : now.truncatedTo(ChronoUnit.SECONDS).toString())
        .build();
  }
}
