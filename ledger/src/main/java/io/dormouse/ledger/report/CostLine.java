package io.dormouse.ledger.report;

import java.math.BigDecimal;
import java.util.List;

/** GPU-hours and cost of one group, in one currency. */
public record CostLine(List<String> keys, String currency, BigDecimal gpuHours, BigDecimal cost) {}
