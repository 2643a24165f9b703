package io.dormouse.ledger.report;

import java.util.List;

/** Requests and tokens of one group; {@code keys} in the order of the query's dimensions. */
public record UsageLine(List<String> keys, long requests, long inputTokens, long outputTokens) {}
