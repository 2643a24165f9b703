package io.dormouse.operator.scaling;

import io.dormouse.api.duration.GoDuration;
import io.dormouse.operator.scaling.Recommendation.Change;
import io.dormouse.operator.scaling.Recommendation.Limit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The replica count an endpoint's load asks for, a pure function of the policy, the count asked for
 * last time, the load series and now: {@code clamp(ceil(load / target), min, max)}. Up at once, on
 * the larger of the mean over the window and the latest sum, so a burst is met by the next
 * reconcile; down only when every recommendation from the window mean over the last {@code
 * scaleDownDelay} was below the current count, and then to the highest of them (the stabilisation
 * of Kubernetes' HPA).
 */
public final class Autoscaler {

  private Autoscaler() {}

  /**
   * @param current the count asked for while awake last time, or null when the endpoint was not
   *     awake (a wake takes the load's count at once)
   */
  public static Recommendation decide(
      ScalingPolicy p, Integer current, LoadSeries load, Instant now) {
    if (p.isFixed()) {
      return new Recommendation(
          p.maxReplicas(),
          0,
          current == null || current == p.maxReplicas() ? Change.NONE : Change.UP,
          Limit.NONE,
          p.maxReplicas() + " replica(s), as spec.replicas says",
          Optional.empty());
    }
    double avg = load.average(now, p.window());
    double latest = load.at(now);
    int wanted = wanted(p, Math.max(avg, latest));
    int raw = clamp(p, wanted);
    Limit limit =
        wanted > p.maxReplicas()
            ? Limit.AT_MAX
            : wanted < p.minReplicas() ? Limit.AT_MIN : Limit.NONE;
    String basis = basis(p, avg, latest, raw, wanted);
    Optional<Instant> settles = settles(p, load, now);
    int now0 = current == null ? raw : Math.min(current, p.maxReplicas());
    if (raw >= now0) {
      Change change = current == null || raw == current ? Change.NONE : Change.UP;
      if (current != null && current > p.maxReplicas() && raw < current) {
        change = Change.DOWN; // maxReplicas lowered: at once
      }
      return new Recommendation(raw, avg, change, limit, basis, settles);
    }
    Instant from = now.minus(p.scaleDownDelay());
    String delay = GoDuration.format(p.scaleDownDelay());
    if (from.isBefore(load.since())) {
      Instant due = load.since().plus(p.scaleDownDelay());
      return new Recommendation(
          now0,
          avg,
          Change.HELD,
          limit,
          basis + "; keeping " + now0 + " until the load has been watched for " + delay,
          earliest(settles, due));
    }
    int peak = raw;
    Instant lastHigh = null;
    for (Instant t : breakpoints(p, load, from, now)) {
      int rec = clamp(p, wanted(p, load.average(t, p.window())));
      peak = Math.max(peak, rec);
      if (rec >= now0 && (lastHigh == null || t.isAfter(lastHigh))) {
        lastHigh = t;
      }
    }
    if (lastHigh != null) {
      Instant due = lastHigh.plus(p.scaleDownDelay());
      if (!due.isAfter(now)) {
        due = now.plusSeconds(1);
      }
      return new Recommendation(
          now0,
          avg,
          Change.HELD,
          limit,
          basis + "; keeping " + now0 + " until the load has stayed lower for " + delay,
          earliest(settles, due));
    }
    return new Recommendation(
        peak,
        avg,
        Change.DOWN,
        limit,
        basis
            + (peak > raw ? "; " + peak + " is the most asked for in the last " + delay : "")
            + "; the load stayed lower for "
            + delay,
        settles);
  }

  private static int wanted(ScalingPolicy p, double avg) {
    // A hair below a whole multiple is that multiple: the mean of whole numbers is not exact.
    return (int) Math.ceil(avg / p.target() - 1e-9);
  }

  private static int clamp(ScalingPolicy p, int wanted) {
    return Math.max(p.awakeFloor(), Math.min(p.maxReplicas(), wanted));
  }

  private static String basis(ScalingPolicy p, double avg, double latest, int raw, int wanted) {
    String s =
        String.format(
            Locale.ROOT,
            "load %.1f in flight or queued (%.1f mean over %s), target %d per replica: %d replica(s)",
            latest,
            avg,
            GoDuration.format(p.window()),
            p.target(),
            raw);
    if (wanted > p.maxReplicas()) {
      s += " (maxReplicas; the load asks for " + wanted + ")";
    } else if (wanted < p.awakeFloor()) {
      s += p.minReplicas() > 0 ? " (minReplicas)" : " (1 while awake)";
    }
    return s;
  }

  /** Where the window mean changes slope within [from, to]: it is linear in between. */
  private static List<Instant> breakpoints(
      ScalingPolicy p, LoadSeries load, Instant from, Instant to) {
    List<Instant> points = new ArrayList<>();
    points.add(from);
    points.add(to);
    for (LoadSeries.Step s : load.steps()) {
      for (Instant t : List.of(s.at(), s.at().plus(p.window()))) {
        if (t.isAfter(from) && t.isBefore(to)) {
          points.add(t);
        }
      }
    }
    return points;
  }

  /**
   * While the window mean still moves (a step inside the window), look again a fifth of a window
   * later (at least 1 s), so that a rising load is followed within about that; none once it is
   * flat.
   */
  private static Optional<Instant> settles(ScalingPolicy p, LoadSeries load, Instant now) {
    Instant start = now.minus(p.window());
    Optional<Instant> flat =
        load.steps().stream()
            .map(LoadSeries.Step::at)
            .filter(t -> t.isAfter(start) && !t.isAfter(now))
            .map(t -> t.plus(p.window()))
            .max(Instant::compareTo)
            .or(
                () ->
                    load.since().isAfter(start)
                        ? Optional.of(load.since().plus(p.window()))
                        : Optional.empty());
    Duration step = p.window().dividedBy(5);
    Instant soon =
        now.plus(step.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : step);
    return flat.map(t -> t.isBefore(soon) ? t : soon);
  }

  private static Optional<Instant> earliest(Optional<Instant> a, Instant b) {
    return Optional.of(a.filter(x -> x.isBefore(b)).orElse(b));
  }
}
