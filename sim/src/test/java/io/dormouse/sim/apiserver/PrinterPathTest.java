package io.dormouse.sim.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Printer columns' JSONPaths as the API server evaluates them for kubectl's tables. */
class PrinterPathTest {

  private static final Map<String, Object> WEBHOOK =
      Map.of(
          "spec",
          Map.of("url", "https://hooks.example.com/x"),
          "status",
          Map.of(
              "pendingDeliveries",
              0,
              "conditions",
              List.of(
                  Map.of("type", "Ready", "status", "True"),
                  Map.of("type", "DeliveryFailing", "status", "False"))));

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        ".spec.url | https://hooks.example.com/x",
        ".status.pendingDeliveries | 0",
        ".status.conditions[?(@.type==\"Ready\")].status | True",
        ".status.conditions[?(@.type == 'DeliveryFailing')].status | False",
        ".status.conditions[?(@.type==\"Degraded\")].status | null",
        ".status.conditions[1].type | DeliveryFailing",
        ".status.conditions[2].type | null",
        ".status.missing.deeper | null",
        ".spec.url[0] | null"
      })
  void evaluates(String path, String expected) {
    Object value = Json.at(WEBHOOK, path);

    assertThat(value == null ? null : String.valueOf(value)).isEqualTo(expected);
  }
}
