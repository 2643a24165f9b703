package io.dormouse.api.v1alpha1;

/** Where an endpoint is in its sleep / wake lifecycle. */
public enum Phase {
  Hibernated,
  Waking,
  Ready,
  Degraded,
  Hibernating,
  Failed
}
