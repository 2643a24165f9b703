package io.dormouse.operator.lifecycle;

import java.time.Duration;

/** A wake that ended with a ready replica: how long it took and on which tier. */
public record WakeCompleted(String tier, Duration duration) {}
