package io.dormouse.ledger.rows;

/** A row for the ledger's writer: one of the append-only facts Dormouse records. */
public sealed interface LedgerRow permits UsageRow, JournalEntry, GpuInterval, NodeInterval {}
