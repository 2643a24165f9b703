package io.dormouse.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.gateway.usage.RequestRecord;
import io.dormouse.ledger.rows.UsageRow;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageRowsTest {

  private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

  private static RequestRecord record(
      int status, boolean reported, long wakeWait, long total, RequestRecord.Admitted admitted) {
    return new RequestRecord(
        "POST",
        "/v1/chat/completions",
        "team-a",
        "llama",
        "search",
        "dm-abcdefgh",
        status,
        true,
        12,
        34,
        reported,
        wakeWait,
        100,
        total,
        "completed",
        admitted);
  }

  private static RequestRecord.Admitted sent(String tier, String backend, long firstByte) {
    return new RequestRecord.Admitted(
        "r-1", AT, "llama", "meta-llama/Meta-Llama-3-8B-Instruct", tier, backend, firstByte);
  }

  @Test
  void aRequestRefusedBeforeAdmissionHasNoRow() {
    assertThat(UsageRows.of(record(429, false, 0, 3, null))).isNull();
  }

  @Test
  void anAdmittedRequestIsItsRow() {
    UsageRow row = UsageRows.of(record(200, true, 1500, 2300, sent("spot", "10.0.0.7:8000", 1700)));
    assertThat(row)
        .isEqualTo(
            new UsageRow(
                "r-1",
                AT,
                "team-a",
                "llama",
                "llama",
                "meta-llama/Meta-Llama-3-8B-Instruct",
                "spot",
                "10.0.0.7:8000",
                "search",
                "dm-abcdefgh",
                12,
                34,
                false,
                200,
                2300,
                1700,
                1500,
                true));
  }

  @Test
  void usageTheEngineDidNotReportIsMarkedEstimated() {
    assertThat(UsageRows.of(record(200, false, 0, 50, sent("spot", "b", 10))).usageEstimated())
        .isTrue();
  }

  @Test
  void noAnswerMeansNoTimeToFirstByteAndNoBackend() {
    UsageRow row = UsageRows.of(record(504, false, 60_000, 60_001, sent(null, null, -1)));
    assertThat(row.ttfbMillis()).isNull();
    assertThat(row.tier()).isNull();
    assertThat(row.backend()).isNull();
    assertThat(row.wakeWaitMillis()).isEqualTo(60_000);
  }

  @Test
  void timesNeverExceedTheLatencyTheSchemaBoundsThemBy() {
    // Measured a millisecond apart, truncation can put a part above the whole.
    UsageRow row = UsageRows.of(record(200, true, 41, 40, sent("spot", "b", 41)));
    assertThat(row.latencyMillis()).isEqualTo(40);
    assertThat(row.ttfbMillis()).isEqualTo(40);
    assertThat(row.wakeWaitMillis()).isEqualTo(40);
  }
}
