package io.dormouse.gateway.ledger;

import io.dormouse.gateway.stages.account.UsageSink;
import io.dormouse.gateway.usage.RequestRecord;
import io.dormouse.ledger.rows.UsageRow;
import io.dormouse.ledger.writer.LedgerWriter;

/**
 * Hands each admitted request's usage row to the ledger's writer, on the request's event loop:
 * {@link LedgerWriter#offer} only puts it in a bounded buffer and never waits (a full buffer drops
 * and counts the row rather than hold the request path).
 */
public final class LedgerUsageSink implements UsageSink {

  private final LedgerWriter writer;

  public LedgerUsageSink(LedgerWriter writer) {
    this.writer = writer;
  }

  @Override
  public void accept(RequestRecord record) {
    UsageRow row = UsageRows.of(record);
    if (row != null) {
      writer.offer(row);
    }
  }
}
