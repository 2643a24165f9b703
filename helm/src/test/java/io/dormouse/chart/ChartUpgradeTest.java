package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code helm upgrade} from the previous release (the committed baseline) to this chart, with the
 * values file the previous release shipped and with a busy install's values: the values schema
 * accepts them, no field the API server keeps immutable changes, nothing that serves is deleted,
 * the Services keep selecting the pods still rolling, and the CRDs only grow.
 */
class ChartUpgradeTest {

  private static final Baseline PREVIOUS = Baseline.previous();
  private static final Map<String, Manifests> CURRENT = new ConcurrentHashMap<>();

  @ParameterizedTest
  @ValueSource(strings = {Baseline.VALUES, Baseline.BUSY_VALUES})
  void theValuesSchemaAcceptsThePreviousReleasesValues(String values) {
    // Helm validates the values against values.schema.json before rendering; a refusal throws.
    assertThatCode(() -> current(values)).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    Baseline.VALUES + ", " + Baseline.RENDERED_DEFAULTS,
    Baseline.BUSY_VALUES + ", " + Baseline.RENDERED_BUSY
  })
  void upgradingWithThePreviousValuesChangesNoImmutableFieldAndDeletesNothingThatServes(
      String values, String rendered) {
    Manifests before = PREVIOUS.rendered(rendered);
    Manifests after = current(values);

    assertThat(ImmutableFields.violations(before.all(), after.all()))
        .as("upgrade from %s with its %s", PREVIOUS.version(), values)
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    Baseline.VALUES + ", " + Baseline.RENDERED_DEFAULTS,
    Baseline.BUSY_VALUES + ", " + Baseline.RENDERED_BUSY
  })
  void everyServiceKeepsSelectingThePreviousPodsWhileTheyRoll(String values, String rendered) {
    Manifests before = PREVIOUS.rendered(rendered);
    Manifests after = current(values);
    List<String> lost = new ArrayList<>();

    for (JsonNode service : after.ofKind("Service")) {
      String id = ImmutableFields.id(service);
      JsonNode selector = service.at("/spec/selector");
      before.ofKind("Service").stream()
          .filter(old -> ImmutableFields.id(old).equals(id))
          .findFirst()
          .ifPresent(
              old ->
                  before
                      .podTemplates()
                      .forEach(
                          (owner, pod) -> {
                            Map<String, String> labels = pod.getMetadata().getLabels();
                            if (selects(old.at("/spec/selector"), labels)
                                && !selects(selector, labels)) {
                              lost.add(id + " no longer selects the pods of " + owner);
                            }
                          }));
    }

    assertThat(lost).isEmpty();
  }

  @Test
  void theCrdsOnlyGrowWithinTheirApiVersion() {
    Manifests current = Chart.render(ValueSet.DEFAULTS);
    List<String> breaking = new ArrayList<>();

    for (JsonNode before : PREVIOUS.crdFiles().stream().map(Baseline::read).toList()) {
      String name = before.at("/metadata/name").asText();
      List<JsonNode> after =
          current.ofKind("CustomResourceDefinition").stream()
              .filter(c -> c.at("/metadata/name").asText().equals(name))
              .toList();
      if (after.isEmpty()) {
        breaking.add(name + ": no longer installed");
      } else {
        breaking.addAll(CrdCompatibility.breakingChanges(before, after.get(0)));
      }
    }

    assertThat(breaking).as("from %s", PREVIOUS.version()).isEmpty();
  }

  @Test
  void theSchemaThatAcceptsThePreviousValuesStillRefusesAKeyItDoesNotKnow() {
    assertThatThrownBy(
            () ->
                new Helm(Chart.dir())
                    .template()
                    .withName(Chart.RELEASE)
                    .withNamespace(Chart.NAMESPACE)
                    .withValuesFile(PREVIOUS.file(Baseline.VALUES))
                    .set("gateway.replicass", 3)
                    .call())
        .hasMessageContaining("replicass");
  }

  /** This chart rendered with one of the previous release's values files. */
  private static Manifests current(String values) {
    return CURRENT.computeIfAbsent(values, v -> Chart.render(PREVIOUS.file(v)));
  }

  private static boolean selects(JsonNode selector, Map<String, String> labels) {
    if (!selector.isObject() || selector.isEmpty() || labels == null) {
      return false;
    }
    List<String> missing = new ArrayList<>();
    selector
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                missing.add(e.getKey());
              }
            });
    return missing.isEmpty();
  }
}
