package io.dormouse.operator.events;

import io.dormouse.ledger.outbox.WebhookOutbox;
import io.dormouse.ledger.schema.LedgerSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger database as the webhook pieces reach it: migrated once before first use, asked again
 * at most every few seconds while it is down. Only the emitter's and dispatcher's own threads call
 * it.
 */
public final class OutboxDatabase {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxDatabase.class);
  private static final Duration RETRY = Duration.ofSeconds(2);

  private final DataSource dataSource;
  private final WebhookOutbox outbox;
  private final Clock clock;
  private volatile boolean migrated;
  private Instant nextTry = Instant.MIN;

  public OutboxDatabase(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.outbox = new WebhookOutbox(dataSource);
    this.clock = clock;
  }

  /** Whether the schema is in place; tries to migrate it when it is time to. */
  public synchronized boolean ready() {
    if (migrated) {
      return true;
    }
    Instant now = clock.instant();
    if (now.isBefore(nextTry)) {
      return false;
    }
    try {
      LedgerSchema.migrate(dataSource);
      migrated = true;
      return true;
    } catch (RuntimeException e) {
      nextTry = now.plus(RETRY);
      LOG.warn("webhooks: the ledger database is not usable yet: {}", e.getMessage());
      return false;
    }
  }

  public WebhookOutbox outbox() {
    return outbox;
  }
}
