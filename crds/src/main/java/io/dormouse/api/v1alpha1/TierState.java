package io.dormouse.api.v1alpha1;

/** Where one tier of an endpoint stands. */
public enum TierState {
  /** Zero replicas asked. */
  Idle,
  /** Replicas asked, none ready yet. */
  Starting,
  /** At least one replica ready. */
  Ready,
  /** Being scaled down after traffic moved to a higher tier. */
  Draining,
  /** Backed off after it failed to start; see unavailableUntil. */
  Unavailable
}
