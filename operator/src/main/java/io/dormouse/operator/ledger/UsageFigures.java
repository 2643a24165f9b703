package io.dormouse.operator.ledger;

import io.dormouse.api.v1alpha1.EndpointUsage;
import io.dormouse.ledger.report.EndpointTotals;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * What {@code status.usage} shows: the ledger's latest figures, but written at most once a minute,
 * so that a busy endpoint's status is not rewritten on every rollup or reconcile. Pure.
 */
public final class UsageFigures {

  /** The least time between two writes of new figures. */
  public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);

  private UsageFigures() {}

  /** The figures of the ledger's totals, not yet stamped. */
  public static EndpointUsage of(EndpointTotals totals) {
    EndpointUsage u = new EndpointUsage();
    u.setRequestsToday(totals.requestsToday());
    u.setInputTokensToday(totals.inputTokensToday());
    u.setOutputTokensToday(totals.outputTokensToday());
    u.setCostToday(money(totals.costToday()));
    u.setCostMonthToDate(money(totals.costMonth()));
    u.setCurrency(
        totals.currency() == null || totals.currency().isEmpty() ? null : totals.currency());
    return u;
  }

  /**
   * The figures to show after this reconcile.
   *
   * @param shown what the status shows now, or null
   * @param latest the ledger's latest figures, or null when it has none yet (off, or not read)
   * @return {@code shown} itself when nothing may or need change; else {@code latest} stamped now
   */
  public static EndpointUsage next(EndpointUsage shown, EndpointUsage latest, Instant now) {
    if (latest == null || latest.sameFigures(shown)) {
      return shown;
    }
    if (shown != null && shown.getUpdatedTime() != null) {
      Instant written = Instant.parse(shown.getUpdatedTime());
      if (now.isBefore(written.plus(MIN_INTERVAL))) {
        return shown;
      }
    }
    EndpointUsage stamped = copy(latest);
    stamped.setUpdatedTime(now.toString());
    return stamped;
  }

  /** A decimal string with at least two decimals and no trailing zeros beyond them. */
  static String money(BigDecimal amount) {
    BigDecimal a = amount == null ? BigDecimal.ZERO : amount.stripTrailingZeros();
    return a.setScale(Math.max(2, a.scale())).toPlainString();
  }

  private static EndpointUsage copy(EndpointUsage u) {
    EndpointUsage c = new EndpointUsage();
    c.setRequestsToday(u.getRequestsToday());
    c.setInputTokensToday(u.getInputTokensToday());
    c.setOutputTokensToday(u.getOutputTokensToday());
    c.setCostToday(u.getCostToday());
    c.setCostMonthToDate(u.getCostMonthToDate());
    c.setCurrency(u.getCurrency());
    return c;
  }
}
