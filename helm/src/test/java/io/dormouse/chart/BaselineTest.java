package io.dormouse.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed baselines of previous releases (see baseline/README.md): complete, named by their
 * version, never ahead of the chart. {@link #captureTheChartAsTheBaselineOfItsVersionWhenAsked}
 * refreshes them at a release:
 *
 * <pre>mvn -B -o -q test -pl helm -Dtest=BaselineTest -Ddormouse.baseline.write=true</pre>
 */
class BaselineTest {

  /** With -Ddormouse.baseline.write=true, the chart as it is becomes its version's baseline. */
  @BeforeAll
  static void captureTheChartAsTheBaselineOfItsVersionWhenAsked() throws IOException {
    if (!Boolean.getBoolean("dormouse.baseline.write")) {
      return;
    }
    String version = Chart.metadata().path("version").asText();
    Path dir = Baseline.ROOT.resolve(version);
    Files.createDirectories(dir.resolve(Baseline.CRDS));
    Files.createDirectories(dir.resolve(Baseline.RENDERED_DEFAULTS).getParent());
    Files.createDirectories(dir.resolve(Baseline.LEDGER_MIGRATIONS));
    copy(Chart.dir().resolve("Chart.yaml"), dir.resolve(Baseline.CHART));
    copy(Chart.dir().resolve("values.yaml"), dir.resolve(Baseline.VALUES));
    Path busy = ValueSet.NON_DEFAULT.file().orElseThrow();
    copy(busy, dir.resolve(Baseline.BUSY_VALUES));
    try (Stream<Path> crds = Files.list(Chart.dir().resolve("templates/crds"))) {
      for (Path crd : crds.toList()) {
        copy(crd, dir.resolve(Baseline.CRDS).resolve(crd.getFileName()));
      }
    }
    for (Path migration : Baseline.sortedFiles(Baseline.CURRENT_LEDGER_MIGRATIONS)) {
      copy(migration, dir.resolve(Baseline.LEDGER_MIGRATIONS).resolve(migration.getFileName()));
    }
    write(dir.resolve(Baseline.RENDERED_DEFAULTS), Chart.templateText(null));
    write(dir.resolve(Baseline.RENDERED_BUSY), Chart.templateText(busy));
  }

  @Test
  void everyBaselineIsCompleteAndNamedByItsVersion() {
    assertThat(Baseline.all()).isNotEmpty();
    for (Baseline baseline : Baseline.all()) {
      JsonNode chart = baseline.chart();
      assertThat(chart.path("version").asText()).isEqualTo(baseline.version());
      assertThat(chart.path("appVersion").asText()).isEqualTo(baseline.version());
      for (String file :
          List.of(
              Baseline.VALUES,
              Baseline.BUSY_VALUES,
              Baseline.RENDERED_DEFAULTS,
              Baseline.RENDERED_BUSY)) {
        assertThat(baseline.file(file)).as("%s of %s", file, baseline.version()).isRegularFile();
      }
      assertThat(baseline.rendered(Baseline.RENDERED_DEFAULTS).ofKind("Deployment"))
          .extracting(d -> d.at("/metadata/name").asText())
          .contains("dormouse-operator", "dormouse-gateway");
    }
  }

  @Test
  void theBaselinesCrdsAreTheOnesItsChartInstalled() {
    Baseline previous = Baseline.previous();
    List<JsonNode> rendered =
        previous.rendered(Baseline.RENDERED_DEFAULTS).ofKind("CustomResourceDefinition");

    assertThat(previous.crdFiles().stream().map(Baseline::read).toList())
        .containsExactlyInAnyOrderElementsOf(rendered);
  }

  /**
   * A released migration is never edited: Flyway refuses a database whose applied migration's
   * checksum differs from this build's file. New schema goes into a new version.
   */
  @Test
  void theReleasedLedgerMigrationsAreUnchangedInThisBuild() throws IOException {
    Baseline previous = Baseline.previous();
    assertThat(previous.ledgerMigrations())
        .as("ledger migrations of %s", previous.version())
        .isNotEmpty();
    for (Path released : previous.ledgerMigrations()) {
      Path current = Baseline.CURRENT_LEDGER_MIGRATIONS.resolve(released.getFileName());
      assertThat(current).as("%s is still shipped", released.getFileName()).isRegularFile();
      assertThat(Files.readString(current))
          .as("%s as released in %s", released.getFileName(), previous.version())
          .isEqualTo(Files.readString(released));
    }
  }

  @Test
  void thePreviousReleaseIsNotAheadOfTheChart() {
    String chart = Chart.metadata().path("version").asText();

    assertThat(Baseline.SemVer.ORDER.compare(Baseline.previous().version(), chart))
        .as("baseline %s, chart %s", Baseline.previous().version(), chart)
        .isLessThanOrEqualTo(0);
  }

  @Test
  void versionsAreOrderedAsSemVerOrdersThem() {
    assertThat(
            Stream.of("0.10.0", "0.2.0", "1.0.0", "1.0.0-rc.1", "0.2.1", "0.9.9")
                .sorted(Baseline.SemVer.ORDER)
                .toList())
        .containsExactly("0.2.0", "0.2.1", "0.9.9", "0.10.0", "1.0.0-rc.1", "1.0.0");
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
