package io.dormouse.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** The chart in helm/dormouse, rendered by the Helm library shipped inside helm-java. */
final class Chart {

  static final String RELEASE = "dormouse";
  static final String NAMESPACE = "dormouse-system";

  private static final Map<ValueSet, Manifests> RENDERED = new EnumMap<>(ValueSet.class);

  private Chart() {}

  static Path dir() {
    Path dir = Path.of("dormouse").toAbsolutePath();
    if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
      throw new IllegalStateException("run from the helm module: no Chart.yaml in " + dir);
    }
    return dir;
  }

  /** The root of the repository the chart lives in. */
  static Path repository() {
    return dir().getParent().getParent();
  }

  /** Chart.yaml: name, version, appVersion. */
  static JsonNode metadata() {
    return readYaml(dir().resolve("Chart.yaml"));
  }

  /** values.yaml: the chart's defaults. */
  static JsonNode defaultValues() {
    return readYaml(dir().resolve("values.yaml"));
  }

  private static JsonNode readYaml(Path file) {
    try {
      return Manifests.YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rendering costs a native Helm call, so each value set is rendered once per test run. */
  static synchronized Manifests render(ValueSet values) {
    return RENDERED.computeIfAbsent(values, v -> Manifests.parse(template(v, Map.of())));
  }

  /** Renders with extra --set values; throws when Helm refuses them. */
  static Manifests render(ValueSet values, Map<String, Object> sets) {
    return Manifests.parse(template(values, sets));
  }

  /** Renders with a values file of its own, e.g. a previous release's; null: the defaults. */
  static Manifests render(Path valuesFile) {
    return Manifests.parse(templateText(valuesFile));
  }

  /** The rendering as Helm prints it; throws when Helm (or the values schema) refuses. */
  static String templateText(Path valuesFile) {
    TemplateCommand template =
        new Helm(dir()).template().withName(RELEASE).withNamespace(NAMESPACE);
    if (valuesFile != null) {
      template.withValuesFile(valuesFile);
    }
    return template.call();
  }

  static LintResult lintStrict() {
    return new Helm(dir()).lint().strict().call();
  }

  private static String template(ValueSet values, Map<String, Object> sets) {
    TemplateCommand template =
        new Helm(dir()).template().withName(RELEASE).withNamespace(NAMESPACE);
    values.file().ifPresent(template::withValuesFile);
    sets.forEach(template::set);
    return template.call();
  }
}
