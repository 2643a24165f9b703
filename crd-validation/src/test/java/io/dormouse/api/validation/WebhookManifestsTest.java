package io.dormouse.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A Webhook the API server must refuse names the field; the valid ones pass. */
class WebhookManifestsTest {

  private static final CrdValidator VALIDATOR = CrdValidator.forDormouse();

  static String webhook(String spec) {
    return """
        apiVersion: dormouse.io/v1alpha1
        kind: Webhook
        metadata:
          name: ops
          namespace: team-a
        spec:
        %s"""
        .formatted(spec.indent(2));
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("https", "url: https://hooks.example.com/x\nsecretRef: {name: s}"),
        Arguments.of(
            "http to a Service with insecure",
            "url: http://receiver.ops.svc:8080/events\ninsecure: true\nsecretRef: {name: s}"),
        Arguments.of(
            "http to a Service, full name",
            "url: http://receiver.ops.svc.cluster.local/\ninsecure: true\nsecretRef: {name: s}"),
        Arguments.of(
            "known types and a selector",
            "url: https://h.example.com\nsecretRef: {name: s}\n"
                + "types: [io.dormouse.endpoint.ready, io.dormouse.budget.threshold]\n"
                + "endpointSelector: {matchLabels: {team: search}}\nallNamespaces: true"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void accepted(String name, String spec) {
    assertThat(VALIDATOR.validate(Manifests.parse(webhook(spec))).errors()).isEmpty();
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(
            "not a URL",
            "url: hooks.example.com\nsecretRef: {name: s}",
            "spec.url",
            "should match"),
        Arguments.of(
            "ftp", "url: ftp://hooks.example.com/\nsecretRef: {name: s}", "spec.url", "https://"),
        Arguments.of(
            "credentials in the URL",
            "url: https://user:pw@hooks.example.com/\nsecretRef: {name: s}",
            "spec.url",
            "should match"),
        Arguments.of(
            "http without insecure",
            "url: http://receiver.ops.svc/\nsecretRef: {name: s}",
            "spec.url",
            "insecure: true"),
        Arguments.of(
            "http outside the cluster",
            "url: http://hooks.example.com/\ninsecure: true\nsecretRef: {name: s}",
            "spec.url",
            "inside the cluster"),
        Arguments.of("no URL", "secretRef: {name: s}", "spec.url", "Required value"),
        Arguments.of(
            "no secret reference",
            "url: https://hooks.example.com/",
            "spec.secretRef",
            "Required value"),
        Arguments.of(
            "a secret reference without a name",
            "url: https://hooks.example.com/\nsecretRef: {}",
            "spec.secretRef.name",
            "Required value"),
        Arguments.of(
            "an unknown event type",
            "url: https://hooks.example.com/\nsecretRef: {name: s}\n"
                + "types: [io.dormouse.endpoint.ready, io.dormouse.endpoint.exploded]",
            "spec.types",
            "io.dormouse.* event types"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedNamingTheField(String name, String spec, String field, String words) {
    ValidationResult result = VALIDATOR.validate(Manifests.parse(webhook(spec)));

    assertThat(result.valid()).isFalse();
    assertThat(result.apiServerMessage()).contains(field + ":").contains(words);
  }
}
