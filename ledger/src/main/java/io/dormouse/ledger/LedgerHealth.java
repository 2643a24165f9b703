package io.dormouse.ledger;

/**
 * A snapshot for gauges and alerts.
 *
 * @param pendingRows rows not yet in the database: in memory and in the spool
 * @param spooledRows of those, rows waiting in the spool file
 */
public record LedgerHealth(DatabaseStatus database, long pendingRows, long spooledRows) {}
