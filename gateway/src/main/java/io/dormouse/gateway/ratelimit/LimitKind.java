package io.dormouse.gateway.ratelimit;

/** The two limits of a project on an endpoint; the value is the metric's {@code limit} label. */
public enum LimitKind {
  requests,
  tokens
}
