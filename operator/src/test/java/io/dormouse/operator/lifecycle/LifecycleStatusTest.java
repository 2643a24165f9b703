package io.dormouse.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import io.dormouse.api.v1alpha1.TierStatus;
import io.dormouse.api.v1alpha1.Transition;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The whole status each row of {@link LifecycleTableTest} writes — tier states and their times,
 * reasons and messages, the history, conditions, the journal's words and the fallbacks — against a
 * reviewed record, {@code decisions.txt}. The table test checks what each row is about; this one
 * notices any other field a change rewrites. After an intended change, regenerate the record with
 * {@code -Dlifecycle.record=write} and review its diff.
 */
class LifecycleStatusTest {

  private static final String RECORD = "decisions.txt";

  @Test
  void everyRowWritesTheRecordedStatus() throws IOException {
    Map<String, String> actual = new LinkedHashMap<>();
    LifecycleTableTest.rows()
        .map(Arguments::get)
        .forEach(
            row -> {
              @SuppressWarnings("unchecked")
              Consumer<World> setup = (Consumer<World>) row[1];
              World world = new World();
              setup.accept(world);
              actual.put((String) row[0], render(world.decide()));
            });
    String text = text(actual);
    if ("write".equals(System.getProperty("lifecycle.record"))) {
      Files.writeString(Path.of("src/test/resources/io/dormouse/operator/lifecycle", RECORD), text);
    }
    assertThat(text).isEqualTo(recorded());
  }

  private static String text(Map<String, String> rows) {
    StringBuilder out = new StringBuilder();
    rows.forEach((name, plan) -> out.append("## ").append(name).append('\n').append(plan));
    return out.toString();
  }

  private static String recorded() throws IOException {
    try (InputStream in = LifecycleStatusTest.class.getResourceAsStream(RECORD)) {
      Objects.requireNonNull(in, RECORD);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** One plan as lines of text; times in seconds after {@link World#T0}. */
  static String render(Plan plan) {
    StringBuilder out = new StringBuilder();
    InferenceEndpointStatus s = plan.status();
    line(
        out,
        "status",
        s.getPhase(),
        "gen=" + s.getObservedGeneration(),
        "since=" + t(s.getPhaseTransitionTime()),
        "active=" + s.getActiveTier(),
        "replicas=" + s.getReplicas(),
        "ready=" + s.getReadyReplicas(),
        "activity=" + t(s.getLastActivityTime()),
        "hibernated=" + t(s.getLastHibernationTime()),
        "reason=" + s.getReason(),
        "message=" + s.getMessage());
    for (TierStatus tier : s.getTiers()) {
      line(
          out,
          "tier " + tier.getName(),
          tier.getState(),
          "replicas=" + tier.getReplicas(),
          "ready=" + tier.getReadyReplicas(),
          "attempt=" + t(tier.getAttemptStartedTime()),
          "retry=" + t(tier.getLastRetryTime()),
          "drain=" + t(tier.getDrainStartedTime()),
          "until=" + t(tier.getUnavailableUntil()),
          "reason=" + tier.getReason(),
          "message=" + tier.getMessage());
    }
    for (Transition h : s.getHistory()) {
      line(
          out,
          "history",
          t(h.getTime()),
          h.getFrom() + ">" + h.getTo(),
          "tier=" + h.getTier(),
          "reason=" + h.getReason(),
          "message=" + h.getMessage());
    }
    for (Condition c : s.getConditions()) {
      line(
          out,
          "condition " + c.getType(),
          c.getStatus(),
          "gen=" + c.getObservedGeneration(),
          "since=" + t(c.getLastTransitionTime()),
          "reason=" + c.getReason(),
          "message=" + c.getMessage());
    }
    for (JournalEvent e : plan.events()) {
      line(
          out,
          "event",
          e.warning() ? "Warning" : "Normal",
          e.reason(),
          "tier=" + e.tier(),
          "message=" + e.message());
    }
    for (Fallback f : plan.fallbacks()) {
      line(out, "fallback", f.fromTier() + ">" + f.toTier(), "reason=" + f.reason());
    }
    plan.wakeCompleted()
        .ifPresent(w -> line(out, "woke", "tier=" + w.tier(), "after=" + w.duration()));
    line(
        out,
        "replicas",
        new TreeMap<>(plan.replicas()),
        "recheck=" + plan.recheckAfter().orElse(null));
    return out.toString();
  }

  private static void line(StringBuilder out, String what, Object... fields) {
    out.append(what);
    for (Object f : fields) {
      out.append(' ').append(f);
    }
    out.append('\n');
  }

  private static String t(String time) {
    return time == null
        ? "-"
        : Long.toString(Instant.parse(time).getEpochSecond() - World.T0.getEpochSecond());
  }
}
