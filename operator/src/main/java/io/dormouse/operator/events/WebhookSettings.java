package io.dormouse.operator.events;

import java.net.URI;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * How the operator's leader delivers webhook events.
 *
 * @param retry back-off and when to give up (dead-letter)
 * @param attemptTimeout one attempt's whole deadline (connect, send, answer)
 * @param maxBodyBytes an event larger than this is never sent
 * @param perSubscriberPerSecond attempts per second per subscriber at most
 * @param poll how often the outbox is looked at
 * @param statusEvery how often each Webhook's status is refreshed
 * @param resolve maps a Webhook's URL to the address to connect to; the identity in a cluster, the
 *     sim's in-process Services elsewhere
 */
public record WebhookSettings(
    RetrySchedule retry,
    Duration attemptTimeout,
    int maxBodyBytes,
    double perSubscriberPerSecond,
    Duration poll,
    Duration statusEvery,
    UnaryOperator<URI> resolve) {

  public static final int MAX_BODY_BYTES = 64 * 1024;

  public static WebhookSettings defaults() {
    return new WebhookSettings(
        RetrySchedule.DEFAULT,
        Duration.ofSeconds(10),
        MAX_BODY_BYTES,
        10,
        Duration.ofMillis(500),
        Duration.ofSeconds(10),
        UnaryOperator.identity());
  }

  public WebhookSettings withRetry(RetrySchedule value) {
    return new WebhookSettings(
        value, attemptTimeout, maxBodyBytes, perSubscriberPerSecond, poll, statusEvery, resolve);
  }

  public WebhookSettings withStatusEvery(Duration value) {
    return new WebhookSettings(
        retry, attemptTimeout, maxBodyBytes, perSubscriberPerSecond, poll, value, resolve);
  }

  public WebhookSettings withResolve(UnaryOperator<URI> value) {
    return new WebhookSettings(
        retry, attemptTimeout, maxBodyBytes, perSubscriberPerSecond, poll, statusEvery, value);
  }
}
