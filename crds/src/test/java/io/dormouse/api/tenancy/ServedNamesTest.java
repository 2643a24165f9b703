package io.dormouse.api.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.tenancy.Verdict.Standing;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The served-name rule as a table: the claims, then each claim's verdict and what names reach. */
class ServedNamesTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A claim created {@code second} seconds after T0 (null: unknown). */
  static Claim claim(String ref, Integer second, String uid, String served) {
    String[] nsName = ref.split("/");
    return new Claim(
        nsName[0], nsName[1], uid, second == null ? null : T0.plusSeconds(second), served);
  }

  /**
   * One row: the claims, each claim's expected verdict ({@code ref → standing holder reachableAs},
   * "-" for none), and model values with the endpoint they reach ("-" for none).
   */
  record Row(
      String why, List<Claim> claims, Map<String, String> verdicts, Map<String, String> routes) {
    @Override
    public String toString() {
      return why;
    }
  }

  static Stream<Arguments> rows() {
    return Stream.of(
            new Row(
                "one claim owns its name and is reachable by it",
                List.of(claim("ml/llama", 0, "u1", "llama")),
                Map.of("ml/llama", "OWNS ml/llama llama"),
                Map.of("llama", "ml/llama", "ml/llama", "ml/llama", "other/llama", "-")),
            new Row(
                "the hijack: a later claim in an alphabetically earlier namespace gets nothing",
                List.of(
                    claim("ml-serving/llama3-8b", 0, "u9", "llama3-8b"),
                    claim("aaa/llama3-8b", 60, "u1", "llama3-8b")),
                Map.of(
                    "ml-serving/llama3-8b", "OWNS ml-serving/llama3-8b llama3-8b",
                    "aaa/llama3-8b", "CONFLICT ml-serving/llama3-8b aaa/llama3-8b"),
                Map.of(
                    "llama3-8b", "ml-serving/llama3-8b",
                    "aaa/llama3-8b", "aaa/llama3-8b",
                    "ml-serving/llama3-8b", "ml-serving/llama3-8b")),
            new Row(
                "created in the same second: the lower uid owns",
                List.of(claim("b/x", 5, "bbb", "llama"), claim("a/y", 5, "aaa", "llama")),
                Map.of("a/y", "OWNS a/y llama", "b/x", "CONFLICT a/y b/llama"),
                Map.of("llama", "a/y", "b/llama", "b/x", "a/llama", "a/y")),
            new Row(
                "an unknown creation time counts as the newest",
                List.of(claim("a/new", null, "a", "llama"), claim("b/old", 100, "z", "llama")),
                Map.of("b/old", "OWNS b/old llama", "a/new", "CONFLICT b/old a/llama"),
                Map.of("llama", "b/old", "a/llama", "a/new")),
            new Row(
                "a later claim in the owner's own namespace is reachable by no name",
                List.of(
                    claim("team/first", 0, "u1", "llama"), claim("team/second", 1, "u2", "llama")),
                Map.of(
                    "team/first", "OWNS team/first llama",
                    "team/second", "CONFLICT team/first -"),
                Map.of("llama", "team/first", "team/llama", "team/first")),
            new Row(
                "two namespaces serve llama: the first owns it, both are reachable qualified",
                List.of(
                    claim("one/llama", 0, "u1", "llama"),
                    claim("two/llama", 10, "u2", "llama"),
                    claim("three/other", 20, "u3", "llama")),
                Map.of(
                    "one/llama", "OWNS one/llama llama",
                    "two/llama", "CONFLICT one/llama two/llama",
                    "three/other", "CONFLICT one/llama three/llama"),
                Map.of(
                    "llama", "one/llama",
                    "two/llama", "two/llama",
                    "three/llama", "three/other",
                    "one/llama", "one/llama")),
            new Row(
                "a served name that reads as another endpoint's qualified name is shadowed",
                List.of(
                    claim("squat/ml-serving-copy", 0, "u1", "ml-serving/llama3-8b"),
                    claim("ml-serving/llama3-8b", 60, "u2", "llama3-8b")),
                Map.of(
                    "squat/ml-serving-copy",
                        "SHADOWED ml-serving/llama3-8b squat/ml-serving/llama3-8b",
                    "ml-serving/llama3-8b", "OWNS ml-serving/llama3-8b llama3-8b"),
                Map.of(
                    "ml-serving/llama3-8b", "ml-serving/llama3-8b",
                    "llama3-8b", "ml-serving/llama3-8b",
                    "squat/ml-serving/llama3-8b", "squat/ml-serving-copy")),
            new Row(
                "a served name with a slash owns it while no namespace by its head serves the rest",
                List.of(
                    claim("team/qwen", 0, "u1", "Qwen/Qwen2.5-7B"),
                    claim("Qwen/none", 0, "u2", "unrelated")),
                Map.of("team/qwen", "OWNS team/qwen Qwen/Qwen2.5-7B"),
                Map.of(
                    "Qwen/Qwen2.5-7B",
                    "team/qwen",
                    "team/Qwen/Qwen2.5-7B",
                    "team/qwen",
                    "Qwen/unrelated",
                    "Qwen/none")),
            new Row(
                "names are compared exactly",
                List.of(claim("a/m", 0, "u", "mistral")),
                Map.of("a/m", "OWNS a/m mistral"),
                Map.of("Mistral", "-", "mistral ", "-", "", "-", "/", "-", "a/", "-")))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void judgesEveryClaimAndRoutesEveryName(Row row) {
    ServedNames names = ServedNames.of(row.claims());

    row.verdicts()
        .forEach(
            (ref, expected) -> {
              Claim c =
                  row.claims().stream()
                      .filter(x -> (x.namespace() + "/" + x.name()).equals(ref))
                      .findFirst()
                      .orElseThrow();
              assertThat(describe(names.verdict(c))).as(ref).isEqualTo(expected);
            });
    row.routes()
        .forEach(
            (model, expected) ->
                assertThat(
                        names.resolve(model).map(c -> c.namespace() + "/" + c.name()).orElse("-"))
                    .as("model %s", model)
                    .isEqualTo(expected));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void theVerdictDoesNotDependOnTheOrderClaimsAreSeenIn(Row row) {
    List<Claim> reversed = new java.util.ArrayList<>(row.claims());
    java.util.Collections.reverse(reversed);
    ServedNames forward = ServedNames.of(row.claims());
    ServedNames backward = ServedNames.of(reversed);
    for (Claim c : row.claims()) {
      assertThat(backward.verdict(c)).isEqualTo(forward.verdict(c));
    }
    assertThat(backward.reachable()).isEqualTo(forward.reachable());
  }

  @Test
  void whenTheOwnerGoesTheNextClaimantOwnsTheName() {
    Claim owner = claim("ml-serving/llama3-8b", 0, "u9", "llama3-8b");
    Claim later = claim("aaa/llama3-8b", 60, "u1", "llama3-8b");

    assertThat(ServedNames.of(List.of(owner, later)).verdict(later).standing())
        .isEqualTo(Standing.CONFLICT);
    assertThat(ServedNames.of(List.of(later)).verdict(later).standing()).isEqualTo(Standing.OWNS);
  }

  @Test
  void aClaimIsReadOffTheEndpoint() {
    InferenceEndpoint ie = new InferenceEndpoint();
    ie.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("team")
            .withName("chat")
            .withUid("u-1")
            .withCreationTimestamp("2026-01-01T00:00:07Z")
            .build());

    assertThat(Claim.of(ie)).isEqualTo(new Claim("team", "chat", "u-1", T0.plusSeconds(7), "chat"));
    ie.getSpec().getModel().setServedName("llama");
    assertThat(Claim.of(ie).servedName()).isEqualTo("llama");
    assertThat(Claim.of(ie).qualifiedName()).isEqualTo("team/llama");
    ie.getMetadata().setCreationTimestamp("not a time");
    assertThat(Claim.of(ie).created()).as("unreadable: counts as newest").isNull();
  }

  private static String describe(Verdict v) {
    return String.join(
        " ",
        Arrays.asList(
            v.standing().name(),
            v.holder().namespace() + "/" + v.holder().name(),
            v.reachableAs() == null ? "-" : v.reachableAs()));
  }
}
