package io.dormouse.operator.wake;

import io.dormouse.api.duration.GoDuration;
import io.dormouse.api.v1alpha1.WakeRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A wake cut into consecutive phases. Each phase ends at an observed instant; an unknown or
 * out-of-order instant is clamped between its neighbours, so the phases never overlap, are never
 * negative, and always add up to the whole wake.
 */
public record WakePhases(
    String tier,
    Instant startedAt,
    Instant readyAt,
    Duration tierFallback,
    Duration nodeProvisioning,
    Duration scheduling,
    Duration imagePull,
    Duration containerStart,
    Duration modelLoad,
    Duration registration) {

  /** The phase label values of dormouse_wake_phase_seconds, in order. */
  public static final List<String> NAMES =
      List.of(
          "tier_fallback",
          "node_provisioning",
          "scheduling",
          "image_pull",
          "container_start",
          "model_load",
          "registration");

  public static WakePhases of(String tier, WakeTimeline t) {
    // To the millisecond, as the status says them, so that the phases add up to the total there.
    Instant b0 = ms(t.wakeStarted());
    Instant end = ms(t.observedReady()).isBefore(b0) ? b0 : ms(t.observedReady());
    Instant b1 = clamp(t.tierAttemptStarted(), b0, end);
    // A node that was ready before this tier's attempt was not provisioned for it.
    Instant b2 = clamp(t.nodeReady(), b1, end);
    Instant b3 = clamp(t.scheduled(), b2, end);
    Instant b4 = clamp(t.imagePulled(), b3, end);
    Instant b5 = clamp(t.engineListening(), b4, end);
    Instant b6 = clamp(t.podReady(), b5, end);
    return new WakePhases(
        tier,
        b0,
        end,
        Duration.between(b0, b1),
        Duration.between(b1, b2),
        Duration.between(b2, b3),
        Duration.between(b3, b4),
        Duration.between(b4, b5),
        Duration.between(b5, b6),
        Duration.between(b6, end));
  }

  private static Instant ms(Instant at) {
    return at == null ? null : at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  /** Unknown means "no time": the previous boundary; never before it, never after the end. */
  private static Instant clamp(Instant value, Instant previous, Instant end) {
    Instant at = ms(value);
    if (at == null || at.isBefore(previous)) {
      return previous;
    }
    return at.isAfter(end) ? end : at;
  }

  public Duration total() {
    return Duration.between(startedAt, readyAt);
  }

  /** Each phase by its metric label, in order. */
  public Map<String, Duration> byName() {
    Map<String, Duration> phases = new LinkedHashMap<>();
    List<Duration> values =
        List.of(
            tierFallback,
            nodeProvisioning,
            scheduling,
            imagePull,
            containerStart,
            modelLoad,
            registration);
    for (int i = 0; i < NAMES.size(); i++) {
      phases.put(NAMES.get(i), values.get(i));
    }
    return phases;
  }

  /** status.lastWake. */
  public WakeRecord toRecord() {
    WakeRecord r = new WakeRecord();
    r.setTier(tier);
    r.setStartedAt(startedAt.toString());
    r.setReadyAt(readyAt.toString());
    r.setTotal(format(total()));
    r.setTierFallback(format(tierFallback));
    r.setNodeProvisioning(format(nodeProvisioning));
    r.setScheduling(format(scheduling));
    r.setImagePull(format(imagePull));
    r.setContainerStart(format(containerStart));
    r.setModelLoad(format(modelLoad));
    r.setRegistration(format(registration));
    return r;
  }

  /** Go-style, to the millisecond (e.g. {@code 1m12s500ms}), as GoDuration parses it. */
  static String format(Duration d) {
    Duration ms = Duration.ofMillis(d.toMillis());
    return GoDuration.format(ms);
  }
}
