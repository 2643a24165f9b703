package io.dormouse.ledger.testing;

import io.dormouse.ledger.DatabaseStatus;
import io.dormouse.ledger.LedgerMetrics;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counts what the ledger reports. */
public final class CountingMetrics implements LedgerMetrics {
  public final AtomicLong written = new AtomicLong();
  public final AtomicLong spooled = new AtomicLong();
  public final AtomicLong refused = new AtomicLong();
  public final AtomicLong dropped = new AtomicLong();
  public final AtomicReference<DatabaseStatus> state = new AtomicReference<>();

  @Override
  public void written(int rows) {
    written.addAndGet(rows);
  }

  @Override
  public void spooled(int rows) {
    spooled.addAndGet(rows);
  }

  @Override
  public void refused(int rows) {
    refused.addAndGet(rows);
  }

  @Override
  public void dropped(int rows) {
    dropped.addAndGet(rows);
  }

  @Override
  public void databaseState(DatabaseStatus status) {
    state.set(status);
  }
}
