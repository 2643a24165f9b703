package io.dormouse.chart;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The previous release as committed fixtures (helm/src/test/resources/baseline/X.Y.Z, see the
 * README there): its chart metadata, values file and CRDs, a busy install's values, the chart's
 * renderings of both value files, and the ledger's migrations. Upgrade tests start from it (the
 * sim's {@code UpgradeInTheSimTest} reads the same directory).
 */
record Baseline(String version, Path dir) {

  /** Where baselines live in the source tree; the refresh writes here. */
  static final Path ROOT = Chart.repository().resolve("helm/src/test/resources/baseline");

  static final String CHART = "Chart.yaml";
  static final String VALUES = "values.yaml";
  static final String BUSY_VALUES = "values-non-default.yaml";
  static final String CRDS = "crds";
  static final String RENDERED_DEFAULTS = "rendered/defaults.yaml";
  static final String RENDERED_BUSY = "rendered/non-default.yaml";

  /**
   * The ledger's Flyway migrations as the release shipped them; the sim's upgrade test runs them.
   */
  static final String LEDGER_MIGRATIONS = "ledger/migrations";

  /** Where this build's ledger migrations are (module ledger), copied by the refresh. */
  static final Path CURRENT_LEDGER_MIGRATIONS =
      Chart.repository().resolve("ledger/src/main/resources/io/dormouse/ledger/schema/migrations");

  /** The newest baseline: the release an upgrade starts from. */
  static Baseline previous() {
    return all().stream()
        .max(Comparator.comparing(Baseline::version, SemVer.ORDER))
        .orElseThrow(() -> new AssertionError("no baseline in " + ROOT));
  }

  static List<Baseline> all() {
    try (Stream<Path> dirs = Files.list(ROOT)) {
      return dirs.filter(Files::isDirectory)
          .map(d -> new Baseline(d.getFileName().toString(), d))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  JsonNode chart() {
    return read(file(CHART));
  }

  /** The CRDs the release installed, by file name. */
  List<Path> crdFiles() {
    try (Stream<Path> files = Files.list(file(CRDS))) {
      return files.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ledger migrations the release shipped, by file name. */
  List<Path> ledgerMigrations() {
    return sortedFiles(file(LEDGER_MIGRATIONS));
  }

  static List<Path> sortedFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Manifests rendered(String name) {
    try {
      return Manifests.parse(Files.readString(file(name)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(Path file) {
    try {
      return Manifests.YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Release versions X.Y.Z[-pre], ordered as SemVer orders them (pre-releases before). */
  static final class SemVer {

    static final Comparator<String> ORDER =
        Comparator.<String, Integer>comparing(v -> part(v, 0))
            .thenComparing(v -> part(v, 1))
            .thenComparing(v -> part(v, 2))
            .thenComparing(v -> !v.contains("-"))
            .thenComparing(v -> v.contains("-") ? v.substring(v.indexOf('-')) : "");

    private SemVer() {}

    private static int part(String version, int index) {
      String core = version.contains("-") ? version.substring(0, version.indexOf('-')) : version;
      return Integer.parseInt(core.split("\\.")[index]);
    }
  }
}
