package io.dormouse.ledger.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The JDBC edge of the webhook outbox: events in, the head of each (subscriber, endpoint) out, and
 * each attempt's outcome. Every call is one short statement or transaction; the caller runs it off
 * any thread that must not wait (the operator's delivery thread).
 */
public final class WebhookOutbox {

  private static final int ERROR_LIMIT = 500;

  private final DataSource dataSource;

  public WebhookOutbox(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Enqueues entries in one transaction, in list order; an (id, subscriber) already there is left
   * as it is, so enqueueing the same event again (a retried reconcile) sends it once.
   *
   * @return how many were new
   */
  public int enqueue(List<OutboxEntry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return 0;
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      int added = 0;
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO webhook_outbox (id, subscriber, endpoint_key, event_type, payload,"
                  + " created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?)"
                  + " ON CONFLICT (subscriber, id) DO NOTHING")) {
        for (OutboxEntry e : entries) {
          ps.setObject(1, e.id());
          ps.setString(2, e.subscriber());
          ps.setString(3, e.endpointKey());
          ps.setString(4, e.eventType());
          ps.setString(5, e.payload());
          ps.setTimestamp(6, Timestamp.from(e.createdAt()));
          ps.setTimestamp(7, Timestamp.from(e.createdAt()));
          // One statement each: a batch's counts may come back as "no info".
          added += ps.executeUpdate();
        }
        c.commit();
        return added;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** The oldest pending event of every (subscriber, endpoint), due or not. */
  public List<Pending> heads() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT DISTINCT ON (subscriber, endpoint_key) id, subscriber, endpoint_key,"
                    + " event_type, payload::text, created_at, attempts, next_attempt_at, seq"
                    + " FROM webhook_outbox WHERE state = 'pending'"
                    + " ORDER BY subscriber, endpoint_key, seq");
        ResultSet rs = ps.executeQuery()) {
      List<Pending> heads = new ArrayList<>();
      while (rs.next()) {
        heads.add(
            new Pending(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getTimestamp(6).toInstant(),
                rs.getInt(7),
                rs.getTimestamp(8).toInstant(),
                rs.getLong(9)));
      }
      return heads;
    }
  }

  /** Pending deliveries per subscriber. */
  public Map<String, Integer> pendingCounts() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT subscriber, count(*) FROM webhook_outbox WHERE state = 'pending'"
                    + " GROUP BY subscriber");
        ResultSet rs = ps.executeQuery()) {
      Map<String, Integer> counts = new HashMap<>();
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getInt(2));
      }
      return counts;
    }
  }

  public void delivered(String subscriber, UUID id, int attempts, Instant at) throws SQLException {
    finish(subscriber, id, attempts, "delivered", null, at);
  }

  /** Gives the event up: it stays in the table, state {@code failed}, with the reason. */
  public void deadLetter(String subscriber, UUID id, int attempts, String error, Instant at)
      throws SQLException {
    finish(subscriber, id, attempts, "failed", error, at);
  }

  public void retryAt(String subscriber, UUID id, int attempts, Instant next, String error)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE webhook_outbox SET attempts = ?, next_attempt_at = ?, last_error = ?"
                    + " WHERE subscriber = ? AND id = ? AND state = 'pending'")) {
      ps.setInt(1, attempts);
      ps.setTimestamp(2, Timestamp.from(next));
      ps.setString(3, clip(error));
      ps.setString(4, subscriber);
      ps.setObject(5, id);
      ps.executeUpdate();
    }
  }

  /**
   * Gives up every pending event of a subscriber (it answered 410 Gone, or was deleted).
   *
   * @return how many
   */
  public int abandon(String subscriber, String error, Instant at) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE webhook_outbox SET state = 'failed', last_error = ?, finished_at = ?"
                    + " WHERE subscriber = ? AND state = 'pending'")) {
      ps.setString(1, clip(error));
      ps.setTimestamp(2, Timestamp.from(at));
      ps.setString(3, subscriber);
      return ps.executeUpdate();
    }
  }

  private void finish(
      String subscriber, UUID id, int attempts, String state, String error, Instant at)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE webhook_outbox SET state = ?, attempts = ?, last_error = ?, finished_at = ?"
                    + " WHERE subscriber = ? AND id = ? AND state = 'pending'")) {
      ps.setString(1, state);
      ps.setInt(2, attempts);
      ps.setString(3, clip(error));
      ps.setTimestamp(4, Timestamp.from(at));
      ps.setString(5, subscriber);
      ps.setObject(6, id);
      ps.executeUpdate();
    }
  }

  private static String clip(String error) {
    return error == null || error.length() <= ERROR_LIMIT ? error : error.substring(0, ERROR_LIMIT);
  }
}
