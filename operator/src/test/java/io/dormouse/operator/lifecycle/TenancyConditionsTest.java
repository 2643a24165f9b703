package io.dormouse.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.tenancy.AllowedProjects;
import io.dormouse.api.tenancy.Claim;
import io.dormouse.api.tenancy.ServedNames;
import io.dormouse.api.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an endpoint's status and journal say of its served name and its namespace's projects: the
 * Ready, ServedNameOwned and ProjectsAllowed conditions, Warning Events said once, and a phase that
 * goes on as the lifecycle decides.
 */
class TenancyConditionsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Claim claim(String ns, String name, int second, String served) {
    return new Claim(ns, name, "uid-" + name, T0.plusSeconds(second), served);
  }

  /** The tenancy of {@code self} among {@code others}, in a namespace declaring {@code allowed}. */
  static Tenancy tenancy(
      Claim self, List<Claim> others, String allowed, boolean isPublic, String... projects) {
    List<Claim> all = Stream.concat(Stream.of(self), others.stream()).toList();
    AllowedProjects a = AllowedProjects.of(allowed, false);
    return new Tenancy(
        self, ServedNames.of(all).verdict(self), a, a.grant(isPublic, List.of(projects)));
  }

  static final Claim OWNER = claim("ml-serving", "llama3-8b", 0, "llama3-8b");
  static final Claim HIJACKER = claim("aaa", "llama3-8b", 60, "llama3-8b");

  /**
   * Columns: why, the tenancy, then Ready (status, reason), ServedNameOwned (status, reason, text
   * in the message), ProjectsAllowed (status, reason, text), and the Warning Events.
   */
  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of(
            "owner, unrestricted",
            tenancy(OWNER, List.of(HIJACKER), null, false, "search"),
            "True Serving",
            "True FirstClaim ml-serving/llama3-8b",
            "True Allowed does not restrict",
            List.of()),
        Arguments.of(
            "the hijacker: conflict, the owner's namespace not named",
            tenancy(HIJACKER, List.of(OWNER), null, false, "other", "search"),
            "False ServedNameConflict",
            "False ServedNameConflict an endpoint in another namespace",
            "True Allowed does not restrict",
            List.of("ServedNameConflict")),
        Arguments.of(
            "a later claim in the owner's namespace names the owner",
            tenancy(claim("ml-serving", "copy", 90, "llama3-8b"), List.of(OWNER), null, true),
            "False ServedNameConflict",
            "False ServedNameConflict endpoint \"llama3-8b\" in this namespace",
            "True Allowed does not restrict",
            List.of("ServedNameConflict")),
        Arguments.of(
            "the namespace refuses some projects: still Ready",
            tenancy(OWNER, List.of(), "search", false, "search", "other"),
            "True Serving",
            "True FirstClaim llama3-8b",
            "False ProjectsRefused refused: other",
            List.of("ProjectsRefused")),
        Arguments.of(
            "the namespace refuses everything asked: not Ready",
            tenancy(OWNER, List.of(), "search", true, "other"),
            "False ProjectsRefused",
            "True FirstClaim llama3-8b",
            "False ProjectsRefused refused: public, other; no key may call this endpoint",
            List.of("ProjectsRefused")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void conditionsAndEventsSayWhereTheEndpointStands(
      String why,
      Tenancy tenancy,
      String ready,
      String owned,
      String allowed,
      List<String> warnings) {
    World w = new World().was(Phase.Ready, "a", 0).running("a", 1, 1).lease(10L).now(20);
    w.tenancy = tenancy;

    Plan plan = w.step();

    assertThat(plan.status().getPhase())
        .as("the phase follows the lifecycle")
        .isEqualTo(Phase.Ready);
    assertThat(plan.replicasOf("a")).isEqualTo(1);
    assertCondition(plan, EndpointConditions.READY, ready);
    assertCondition(plan, EndpointConditions.SERVED_NAME_OWNED, owned);
    assertCondition(plan, EndpointConditions.PROJECTS_ALLOWED, allowed);
    assertThat(plan.events())
        .filteredOn(JournalEvent::warning)
        .extracting(JournalEvent::reason)
        .containsExactlyElementsOf(warnings);
    assertThat(w.now(30).step().events()).as("said once, not every reconcile").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void noMessageNamesAnEndpointOfAnotherNamespace(
      String why, Tenancy tenancy, String r, String o, String a, List<String> e) {
    World w = new World().now(0);
    w.tenancy = tenancy;

    Plan plan = w.step();

    String other = tenancy.claim().namespace().equals("aaa") ? "ml-serving" : "aaa";
    assertThat(plan.status().getConditions())
        .extracting(Condition::getMessage)
        .noneMatch(m -> m.contains(other));
    assertThat(plan.events()).extracting(JournalEvent::message).noneMatch(m -> m.contains(other));
  }

  private static void assertCondition(Plan plan, String type, String expected) {
    String[] parts = expected.split(" ", 3);
    Condition c =
        plan.status().getConditions().stream()
            .filter(x -> x.getType().equals(type))
            .findFirst()
            .orElseThrow();
    assertThat(c.getStatus()).as(type + " status").isEqualTo(parts[0]);
    assertThat(c.getReason()).as(type + " reason").isEqualTo(parts[1]);
    if (parts.length > 2) {
      assertThat(c.getMessage()).as(type + " message").contains(parts[2]);
    }
    assertThat(c.getObservedGeneration()).isEqualTo(1L);
  }
}
