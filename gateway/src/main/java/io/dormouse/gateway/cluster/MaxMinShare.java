package io.dormouse.gateway.cluster;

import java.util.Arrays;

/**
 * Splits one cluster-wide amount (a rate limit, an engine replica's concurrency) among gateway
 * replicas by their recent demand. Everyone first gets a floor, so a replica whose demand appears
 * between two exchanges can still admit something; the rest is shared max-min fair: no replica gets
 * more than it asks while another asks for more than it has, and what nobody asks for is split
 * evenly. The shares always add up to the total, so the cluster never admits more than its limit.
 * With one demanding replica of N, it gets {@code total × (1 − floor × (N−1)/N)}.
 */
public final class MaxMinShare {

  /** The fraction of an even split every replica keeps whatever its demand. */
  public static final double DEFAULT_FLOOR = 0.05;

  private MaxMinShare() {}

  /**
   * @param total the amount to share (a limit per second, or slots)
   * @param demands each replica's recent demand, in the unit of {@code total}; negative counts as 0
   * @param floor the fraction of {@code total / N} every replica gets (0..1)
   * @return each replica's share, in the order of {@code demands}; they add up to {@code total}
   */
  public static double[] split(double total, double[] demands, double floor) {
    int n = demands.length;
    double[] shares = new double[n];
    if (n == 0) {
      return shares;
    }
    double f = Math.max(0, Math.min(1, floor)) * total / n;
    double rest = total - n * f;
    double[] wants = new double[n];
    double wanted = 0;
    for (int i = 0; i < n; i++) {
      wants[i] = Math.max(0, demands[i] - f);
      wanted += wants[i];
    }
    if (wanted <= rest) {
      double surplus = (rest - wanted) / n;
      for (int i = 0; i < n; i++) {
        shares[i] = f + wants[i] + surplus;
      }
      return shares;
    }
    double level = waterLevel(wants, rest);
    for (int i = 0; i < n; i++) {
      shares[i] = f + Math.min(wants[i], level);
    }
    return shares;
  }

  /** The level w at which the sum of min(want, w) is {@code amount} (the wants exceed it). */
  private static double waterLevel(double[] wants, double amount) {
    double[] sorted = wants.clone();
    Arrays.sort(sorted);
    double left = amount;
    int n = sorted.length;
    for (int i = 0; i < n; i++) {
      double even = left / (n - i);
      if (sorted[i] >= even) {
        return even;
      }
      left -= sorted[i];
    }
    return sorted[n - 1];
  }
}
