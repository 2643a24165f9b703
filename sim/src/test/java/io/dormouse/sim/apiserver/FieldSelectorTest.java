package io.dormouse.sim.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldSelectorTest {

  private static final Map<String, Object> EVENT =
      Map.of(
          "metadata", Map.of("name", "llama.1", "namespace", "team-a"),
          "involvedObject",
              Map.of("kind", "InferenceEndpoint", "name", "llama", "namespace", "team-a"),
          "reason", "Waking",
          "source", Map.of("component", "dormouse-operator"),
          "type", "Normal");

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "involvedObject.name=llama,involvedObject.namespace=team-a | true",
        "involvedObject.name==llama | true",
        "involvedObject.name=other | false",
        "involvedObject.kind!=Pod | true",
        "involvedObject.uid= | true",
        "involvedObject.uid=abc | false",
        "source=dormouse-operator,type=Normal | true",
        "metadata.name=llama.1,reason!=Waking | false",
        "'' | true"
      })
  void describesEventsMatchAsTheApiServerMatchesThem(String selector, boolean matches) {
    assertThat(FieldSelector.parse(selector, "", "events").matches(EVENT)).isEqualTo(matches);
  }

  @Test
  void aFieldTheResourceDoesNotIndexIsRefused() {
    assertThatThrownBy(
            () -> FieldSelector.parse("spec.model.name=x", "dormouse.io", "inferenceendpoints"))
        .hasMessage("field label not supported: spec.model.name");
    assertThatThrownBy(() -> FieldSelector.parse("involvedObject.name=x", "", "pods"))
        .hasMessage("field label not supported: involvedObject.name");
    assertThat(
            FieldSelector.parse("spec.nodeName=n,status.phase!=Failed", "", "pods")
                .matches(
                    Map.of("spec", Map.of("nodeName", "n"), "status", Map.of("phase", "Running"))))
        .isTrue();
  }
}
