package io.dormouse.operator.events;

import io.dormouse.ledger.outbox.Pending;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which heads to send now: per subscriber at most one (one in flight each), the most overdue of its
 * due heads, and none for a subscriber already in flight, held back by its rate limit, or not
 * deliverable (unknown, not ready, disabled). Pure.
 */
public final class DueSelection {

  private static final Comparator<Pending> MOST_OVERDUE =
      Comparator.comparing(Pending::nextAttemptAt).thenComparingLong(Pending::seq);

  private DueSelection() {}

  public static List<Pending> pick(
      List<Pending> heads,
      Set<String> inFlight,
      Map<String, Instant> notBefore,
      Predicate<String> deliverable,
      Instant now) {
    Map<String, Pending> chosen = new LinkedHashMap<>();
    for (Pending p : heads) {
      String s = p.subscriber();
      if (p.nextAttemptAt().isAfter(now)
          || inFlight.contains(s)
          || (notBefore.containsKey(s) && notBefore.get(s).isAfter(now))
          || !deliverable.test(s)) {
        continue;
      }
      chosen.merge(s, p, (a, b) -> MOST_OVERDUE.compare(a, b) <= 0 ? a : b);
    }
    List<Pending> out = new ArrayList<>(chosen.values());
    out.sort(MOST_OVERDUE);
    return out;
  }
}
