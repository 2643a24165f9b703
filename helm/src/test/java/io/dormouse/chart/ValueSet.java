package io.dormouse.chart;

import java.nio.file.Path;
import java.util.Optional;

/** The value sets every manifest test runs against: the chart's defaults, and a busy install. */
enum ValueSet {
  DEFAULTS(null),
  NON_DEFAULT("values/non-default.yaml");

  private final String resource;

  ValueSet(String resource) {
    this.resource = resource;
  }

  Optional<Path> file() {
    if (resource == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(ValueSet.class.getClassLoader().getResource(resource).toURI()));
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
