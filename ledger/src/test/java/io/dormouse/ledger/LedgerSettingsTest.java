package io.dormouse.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerSettingsTest {

  @TempDir Path dir;

  @Test
  void offUnlessEnabled() {
    assertThat(LedgerSettings.fromEnvironment(Map.of("DORMOUSE_LEDGER_HOST", "pg"))).isEmpty();
  }

  @Test
  void theChartsVariablesMakeTheUrl() {
    LedgerSettings s =
        LedgerSettings.fromEnvironment(
                Map.of(
                    "DORMOUSE_LEDGER_ENABLED", "true",
                    "DORMOUSE_LEDGER_HOST", "pg.db.svc",
                    "DORMOUSE_LEDGER_PORT", "6432",
                    "DORMOUSE_LEDGER_DATABASE", "billing",
                    "DORMOUSE_LEDGER_SSLMODE", "verify-full",
                    "DORMOUSE_LEDGER_USER", "dm",
                    "DORMOUSE_LEDGER_PASSWORD", "pw",
                    "DORMOUSE_LEDGER_SPOOL_DIR", "/var/spool",
                    "DORMOUSE_LEDGER_USAGE_RETENTION_DAYS", "14"))
            .orElseThrow();
    assertThat(s.jdbcUrl())
        .isEqualTo("jdbc:postgresql://pg.db.svc:6432/billing?sslmode=verify-full");
    assertThat(s.user()).isEqualTo("dm");
    assertThat(s.password()).isEqualTo("pw");
    assertThat(s.spoolDirectory()).isEqualTo(Path.of("/var/spool"));
    assertThat(s.usageRetentionDays()).isEqualTo(14);
    assertThat(s.toString()).doesNotContain("pw");
  }

  @Test
  void aPasswordFileWinsOverThePasswordVariable() throws Exception {
    Path file = Files.writeString(dir.resolve("password"), "from-file\n");
    LedgerSettings s =
        LedgerSettings.fromEnvironment(
                Map.of(
                    "DORMOUSE_LEDGER_ENABLED", "true",
                    "DORMOUSE_LEDGER_JDBC_URL", "jdbc:postgresql://h/d",
                    "DORMOUSE_LEDGER_PASSWORD", "from-env",
                    "DORMOUSE_LEDGER_PASSWORD_FILE", file.toString(),
                    "DORMOUSE_LEDGER_SPOOL_DIR", dir.toString()))
            .orElseThrow();
    assertThat(s.password()).isEqualTo("from-file");
  }

  @Test
  void missingPiecesAreNamed() {
    assertThatThrownBy(
            () -> LedgerSettings.fromEnvironment(Map.of("DORMOUSE_LEDGER_ENABLED", "true")))
        .hasMessageContaining("DORMOUSE_LEDGER_HOST");
    assertThatThrownBy(
            () ->
                LedgerSettings.fromEnvironment(
                    Map.of("DORMOUSE_LEDGER_ENABLED", "true", "DORMOUSE_LEDGER_HOST", "pg")))
        .hasMessageContaining("DORMOUSE_LEDGER_SPOOL_DIR");
    assertThatThrownBy(
            () ->
                LedgerSettings.fromEnvironment(
                    Map.of(
                        "DORMOUSE_LEDGER_ENABLED", "true",
                        "DORMOUSE_LEDGER_HOST", "pg",
                        "DORMOUSE_LEDGER_SPOOL_DIR", "/s",
                        "DORMOUSE_LEDGER_PASSWORD_FILE", dir.resolve("absent").toString())))
        .hasMessageContaining("DORMOUSE_LEDGER_PASSWORD_FILE");
  }
}
