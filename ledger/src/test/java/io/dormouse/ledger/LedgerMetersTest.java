package io.dormouse.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.ledger.fault.Failure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LedgerMetersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LedgerMeters meters = new LedgerMeters(registry);

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  @Test
  void countersAddUp() {
    meters.written(5);
    meters.written(2);
    meters.spooled(3);
    meters.refused(1);
    meters.dropped(4);
    assertThat(registry.get("dormouse.ledger.rows.written").counter().count()).isEqualTo(7);
    assertThat(registry.get("dormouse.ledger.rows.spooled").counter().count()).isEqualTo(3);
    assertThat(registry.get("dormouse.ledger.rows.refused").counter().count()).isEqualTo(1);
    assertThat(registry.get("dormouse.ledger.rows.dropped").counter().count()).isEqualTo(4);
  }

  @Test
  void gaugesReadTheLedgersHealthOnceWatched() {
    assertThat(gauge("dormouse.ledger.database.up")).isZero();
    meters.watch(
        () ->
            new LedgerHealth(
                DatabaseStatus.down(Failure.UNREACHABLE, "refused", Instant.EPOCH), 120, 100));
    assertThat(gauge("dormouse.ledger.database.up")).isZero();
    assertThat(gauge("dormouse.ledger.pending.rows")).isEqualTo(120);
    assertThat(gauge("dormouse.ledger.spooled.rows")).isEqualTo(100);
    meters.watch(() -> new LedgerHealth(DatabaseStatus.up(Instant.EPOCH), 0, 0));
    assertThat(gauge("dormouse.ledger.database.up")).isEqualTo(1);
  }
}
