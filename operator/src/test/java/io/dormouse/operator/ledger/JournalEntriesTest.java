package io.dormouse.operator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.ledger.rows.JournalEntry;
import io.dormouse.operator.lifecycle.JournalEvent;
import io.dormouse.operator.lifecycle.Plan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JournalEntriesTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final EndpointRef REF = new EndpointRef("team", "llama", "uid-1", 3L);

  private static Plan plan(Phase phase, Map<String, Integer> replicas, JournalEvent... events) {
    InferenceEndpointStatus status = new InferenceEndpointStatus();
    status.setPhase(phase);
    status.setReason("R");
    status.setReplicas(replicas.values().stream().mapToInt(Integer::intValue).sum());
    return new Plan(
        replicas, status, List.of(events), List.of(), Optional.empty(), Optional.empty());
  }

  private static InferenceEndpointStatus seen(Long generation) {
    InferenceEndpointStatus s = new InferenceEndpointStatus();
    s.setObservedGeneration(generation);
    return s;
  }

  @ParameterizedTest(name = "{0} ({1}) leaving {2} → {3}")
  @CsvSource({
    // reason,            warning, phase after, kind
    "Created,             false,   Hibernated,  Created",
    "Waking,              false,   Waking,      Waking",
    "Ready,               false,   Ready,       Ready",
    "TierFallback,        true,    Waking,      TierFallback",
    "TierRetry,           false,   Ready,       TierRetry",
    "TierMovedBack,       false,   Ready,       TierMovedBack",
    "ReplicaUnavailable,  true,    Waking,      ReplicaUnavailable",
    "ReplicaUnavailable,  true,    Degraded,    Degraded",
    "Hibernating,         false,   Hibernating, Hibernating",
    "Hibernated,          false,   Hibernated,  Hibernated",
    "WakeFailed,          true,    Failed,      Failed",
    "InvalidSpec,         true,    Failed,      Failed",
    "TierNotFound,        true,    Failed,      Failed",
    "TierNotFound,        true,    Ready,       TierNotFound",
    "PresetNotFound,      true,    Failed,      Failed",
    "PresetNotFound,      true,    Hibernated,  PresetNotFound",
    "ServedNameConflict,  true,    Ready,       ServedNameConflict",
  })
  void eachEventIsAnEntryOfItsKind(String reason, boolean warning, Phase after, String kind) {
    JournalEvent event = new JournalEvent(warning, reason, "a", "text");
    List<JournalEntry> entries =
        JournalEntries.of(REF, seen(3L), plan(after, Map.of("a", 2, "b", 0), event), NOW);

    assertThat(entries)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(kind);
              assertThat(e.reason())
                  .as("the reason column keeps the Event's word")
                  .isEqualTo(reason);
              assertThat(e.tier()).isEqualTo("a");
              assertThat(e.replicas()).as("the replicas asked of the tier concerned").isEqualTo(2);
              assertThat(e.namespace()).isEqualTo("team");
              assertThat(e.endpoint()).isEqualTo("llama");
              assertThat(e.at()).isEqualTo(NOW);
              assertThat(e.message()).isEqualTo("text");
            });
  }

  @Test
  void anEventWithoutATierCarriesTheEndpointsReplicas() {
    JournalEntry e =
        JournalEntries.of(
                REF,
                seen(3L),
                plan(
                    Phase.Hibernating,
                    Map.of("a", 0, "b", 0),
                    new JournalEvent(false, "Hibernating", null, "idle")),
                NOW)
            .get(0);
    assertThat(e.tier()).isNull();
    assertThat(e.replicas()).isZero();
  }

  @Test
  void aNewGenerationIsASpecChangedEntryOncePerGeneration() {
    Plan quiet = plan(Phase.Ready, Map.of("a", 1));

    List<JournalEntry> changed = JournalEntries.of(REF, seen(2L), quiet, NOW);
    List<JournalEntry> again = JournalEntries.of(REF, seen(2L), quiet, NOW.plusSeconds(30));

    assertThat(changed)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo("SpecChanged");
              assertThat(e.message()).isEqualTo("spec generation 2 -> 3");
            });
    assertThat(again.get(0).id())
        .as("seen again after a failed status write or a restart: the same entry, stored once")
        .isEqualTo(changed.get(0).id());
    assertThat(JournalEntries.of(REF, seen(3L), quiet, NOW)).isEmpty();
    assertThat(JournalEntries.of(REF, null, quiet, NOW))
        .as("a new endpoint: Created says it")
        .isEmpty();
  }

  @Test
  void theSameEntryOfferedTwiceHasOneIdAndDifferentOnesDiffer() {
    Plan p = plan(Phase.Waking, Map.of("a", 1), new JournalEvent(false, "Waking", "a", "waking"));
    JournalEntry first = JournalEntries.of(REF, seen(3L), p, NOW).get(0);
    JournalEntry same = JournalEntries.of(REF, seen(3L), p, NOW).get(0);
    JournalEntry later = JournalEntries.of(REF, seen(3L), p, NOW.plusSeconds(60)).get(0);
    JournalEntry otherEndpoint =
        JournalEntries.of(new EndpointRef("team", "llama", "uid-2", 3L), seen(3L), p, NOW).get(0);

    assertThat(same.id()).isEqualTo(first.id());
    assertThat(later.id()).isNotEqualTo(first.id());
    assertThat(otherEndpoint.id()).isNotEqualTo(first.id());
  }

  @Test
  void deletionIsOneEntryPerEndpointUid() {
    InferenceEndpointStatus last = new InferenceEndpointStatus();
    last.setPhase(Phase.Ready);
    last.setActiveTier("b");

    JournalEntry deleted = JournalEntries.deleted(REF, last, NOW);

    assertThat(deleted.kind()).isEqualTo("Deleted");
    assertThat(deleted.tier()).isEqualTo("b");
    assertThat(deleted.replicas()).isZero();
    assertThat(deleted.message()).contains("in phase Ready");
    assertThat(JournalEntries.deleted(REF, null, NOW.plusSeconds(5)).id()).isEqualTo(deleted.id());
  }

  @Test
  void aMessageLongerThanTheTableTakesIsShortened() {
    String huge = "x".repeat(5000);
    JournalEntry e =
        JournalEntries.of(
                REF,
                seen(3L),
                plan(
                    Phase.Failed,
                    Map.of("a", 0),
                    new JournalEvent(true, "InvalidSpec", null, huge)),
                NOW)
            .get(0);
    assertThat(e.message()).hasSize(JournalEntries.MESSAGE_LIMIT).endsWith("…");
  }
}
