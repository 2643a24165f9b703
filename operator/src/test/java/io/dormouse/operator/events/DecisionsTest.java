package io.dormouse.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.events.EventType;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.ledger.outbox.Pending;
import io.dormouse.operator.lifecycle.JournalEvent;
import io.dormouse.operator.lifecycle.Reasons;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure decisions of delivery, as tables. */
class DecisionsTest {

  static final Instant T0 = Instant.parse("2025-03-10T12:00:00Z");

  // --- which events a decision stands for

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource({
    "Created,            Hibernated, Hibernated, io.dormouse.endpoint.created",
    "Waking,             Hibernated, Waking,     io.dormouse.endpoint.waking",
    "Ready,              Waking,     Ready,      io.dormouse.endpoint.ready",
    "TierFallback,       Waking,     Waking,     io.dormouse.endpoint.tier-fallback",
    "TierMovedBack,      Ready,      Ready,      io.dormouse.endpoint.tier-moved-back",
    "ReplicaUnavailable, Ready,      Degraded,   io.dormouse.endpoint.replica-unavailable io.dormouse.endpoint.degraded",
    "ReplicaUnavailable, Degraded,   Degraded,   io.dormouse.endpoint.replica-unavailable",
    "Hibernating,        Ready,      Hibernating, io.dormouse.endpoint.hibernating",
    "Hibernated,         Hibernating, Hibernated, io.dormouse.endpoint.hibernated",
    "WakeFailed,         Waking,     Failed,     io.dormouse.endpoint.failed",
    "InvalidSpec,        Hibernated, Failed,     io.dormouse.endpoint.failed",
    "TierRetry,          Ready,      Ready,      ''",
    "ServedNameConflict, Ready,      Ready,      ''",
  })
  void aJournalReasonAndPhaseChangeMapToEventTypes(
      String reason, Phase before, Phase after, String types) {
    List<EventMapping.Mapped> mapped =
        EventMapping.of(List.of(new JournalEvent(false, reason, "spot", "m")), before, after);

    assertThat(mapped)
        .extracting(m -> m.type().type())
        .containsExactlyElementsOf(types.isBlank() ? List.of() : List.of(types.split(" ")));
  }

  @Test
  void aTypeIsSentOncePerDecision() {
    List<JournalEvent> journal =
        List.of(
            new JournalEvent(true, Reasons.TIER_FALLBACK, "spot", "unschedulable"),
            new JournalEvent(true, Reasons.TIER_FALLBACK, "od", "image pull"),
            new JournalEvent(true, Reasons.WAKE_FAILED, null, "no tier"));

    assertThat(EventMapping.of(journal, Phase.Waking, Phase.Failed))
        .extracting(EventMapping.Mapped::type)
        .containsExactly(EventType.ENDPOINT_TIER_FALLBACK, EventType.ENDPOINT_FAILED);
  }

  @Test
  void eventIdsAreStableForOneTransitionAndDifferOtherwise() {
    UUID a = EventFactory.id("uid-1", EventType.ENDPOINT_READY, "spot", T0);
    assertThat(EventFactory.id("uid-1", EventType.ENDPOINT_READY, "spot", T0)).isEqualTo(a);
    assertThat(EventFactory.id("uid-2", EventType.ENDPOINT_READY, "spot", T0)).isNotEqualTo(a);
    assertThat(EventFactory.id("uid-1", EventType.ENDPOINT_WAKING, "spot", T0)).isNotEqualTo(a);
    assertThat(EventFactory.id("uid-1", EventType.ENDPOINT_READY, "od", T0)).isNotEqualTo(a);
    assertThat(EventFactory.id("uid-1", EventType.ENDPOINT_READY, "spot", T0.plusMillis(1)))
        .isNotEqualTo(a);
  }

  // --- back-off

  @ParameterizedTest(name = "attempt {0}, jitter {1} -> {2} ms")
  @CsvSource({
    "1, 0.0,     2500",
    "1, 0.999,   4997",
    "2, 0.0,     5000",
    "3, 0.5,    15000",
    "10, 0.0, 1280000",
    "11, 0.0, 1800000",
    "40, 1.0, 3600000",
  })
  void backOffDoublesFromFiveSecondsToAnHourWithEqualJitter(int attempts, double jitter, long ms) {
    assertThat(RetrySchedule.DEFAULT.delay(attempts, jitter)).isEqualTo(Duration.ofMillis(ms));
  }

  @Test
  void anEventIsGivenUpTwentyFourHoursAfterItWasCreated() {
    assertThat(RetrySchedule.DEFAULT.givenUp(T0, T0.plus(Duration.ofHours(24)).minusMillis(1)))
        .isFalse();
    assertThat(RetrySchedule.DEFAULT.givenUp(T0, T0.plus(Duration.ofHours(24)))).isTrue();
  }

  // --- outcomes

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
    "200, DELIVERED",
    "204, DELIVERED",
    "299, DELIVERED",
    "301, FAILED",
    "307, FAILED",
    "400, FAILED",
    "404, FAILED",
    "410, GONE",
    "429, FAILED",
    "500, FAILED",
    "503, FAILED",
  })
  void statusCodesClassify(int status, Outcome.Kind kind) {
    assertThat(Outcome.ofStatus(status).kind()).isEqualTo(kind);
  }

  @Test
  void failuresClassifyWithoutTheirMessages() {
    assertThat(Outcome.ofFailure(new RuntimeException(new ConnectException("x:1 secret"))))
        .isEqualTo(new Outcome(Outcome.Kind.FAILED, "connection refused"));
    assertThat(Outcome.ofFailure(new HttpTimeoutException("request timed out")).detail())
        .isEqualTo("no answer within the attempt timeout");
    assertThat(Outcome.ofFailure(new java.io.IOException("boom")).detail())
        .isEqualTo("IOException");
    assertThat(Outcome.tooLarge(70_000, 65_536).kind()).isEqualTo(Outcome.Kind.UNDELIVERABLE);
  }

  // --- what to send now

  static Pending head(String subscriber, String endpoint, int dueSecond, long seq) {
    return new Pending(
        UUID.nameUUIDFromBytes((subscriber + endpoint + seq).getBytes()),
        subscriber,
        endpoint,
        "io.dormouse.endpoint.ready",
        "{}",
        T0,
        0,
        T0.plusSeconds(dueSecond),
        seq);
  }

  @Test
  void oneDueHeadPerSubscriberTheMostOverdueFirst() {
    List<Pending> heads =
        List.of(
            head("a/ops", "a/llama", 5, 10),
            head("a/ops", "a/mistral", 3, 11),
            head("a/billing", "a/llama", 0, 10),
            head("a/late", "a/llama", 60, 12));

    assertThat(DueSelection.pick(heads, Set.of(), Map.of(), s -> true, T0.plusSeconds(10)))
        .extracting(Pending::subscriber, Pending::endpointKey)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a/billing", "a/llama"),
            org.assertj.core.groups.Tuple.tuple("a/ops", "a/mistral"));
  }

  @Test
  void noneForASubscriberInFlightRateLimitedOrNotDeliverable() {
    List<Pending> heads =
        List.of(
            head("a/busy", "a/llama", 0, 1),
            head("a/limited", "a/llama", 0, 2),
            head("a/broken", "a/llama", 0, 3),
            head("a/ok", "a/llama", 0, 4));

    assertThat(
            DueSelection.pick(
                heads,
                Set.of("a/busy"),
                Map.of("a/limited", T0.plusMillis(100), "a/ok", T0.minusMillis(1)),
                s -> !s.equals("a/broken"),
                T0))
        .extracting(Pending::subscriber)
        .containsExactly("a/ok");
  }

  @Test
  void selectorsMatchAsKubernetesDoes() {
    var selector =
        new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
            .addToMatchLabels("team", "search")
            .addNewMatchExpression()
            .withKey("tier")
            .withOperator("In")
            .withValues("gold", "silver")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("test")
            .withOperator("DoesNotExist")
            .endMatchExpression()
            .build();

    assertThat(SelectorMatch.matches(selector, Map.of("team", "search", "tier", "gold"))).isTrue();
    assertThat(SelectorMatch.matches(selector, Map.of("team", "search", "tier", "bronze")))
        .isFalse();
    assertThat(
            SelectorMatch.matches(selector, Map.of("team", "search", "tier", "gold", "test", "")))
        .isFalse();
    assertThat(SelectorMatch.matches(selector, null)).isFalse();
    assertThat(SelectorMatch.matches(null, null)).isTrue();
  }
}
