package io.dormouse.operator.events;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import io.dormouse.api.events.WebhookSignature;
import io.dormouse.ledger.outbox.Pending;
import io.dormouse.ledger.outbox.WebhookOutbox;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's delivery loop. On its own thread, every poll: read the head of each (subscriber,
 * endpoint), pick at most one due event per subscriber that has none in flight ({@link
 * DueSelection}), sign it and post it asynchronously; record each outcome in the outbox when it
 * comes. A slow, hanging, redirecting or failing receiver holds only its own subscriber's one slot
 * for at most the attempt timeout; reconciles never wait for any of it.
 *
 * <p>At least once: an event is marked delivered only after its 2xx, so a leader that stops
 * mid-attempt leaves it pending and the next leader sends it again (the only duplicates).
 */
public final class WebhookDispatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  static final String USER_AGENT = "dormouse-operator";

  private final OutboxDatabase database;
  private final Subscriptions subscriptions;
  private final DeliveryStats stats;
  private final WebhookSettings settings;
  private final Clock clock;
  private final KubernetesClient client;
  private final String identity;
  private final HttpClient http;
  private final ScheduledExecutorService loop;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();
  private Instant nextCount = Instant.MIN;
  private volatile boolean started;

  public WebhookDispatcher(
      OutboxDatabase database,
      Subscriptions subscriptions,
      DeliveryStats stats,
      WebhookSettings settings,
      Clock clock,
      KubernetesClient client,
      String identity) {
    this.database = database;
    this.subscriptions = subscriptions;
    this.stats = stats;
    this.settings = settings;
    this.clock = clock;
    this.client = client;
    this.identity = identity;
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "webhook-dispatcher");
              t.setDaemon(true);
              return t;
            });
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(settings.attemptTimeout())
            .executor(
                Executors.newFixedThreadPool(
                    2,
                    r -> {
                      Thread t = new Thread(r, "webhook-http");
                      t.setDaemon(true);
                      return t;
                    }))
            .build();
  }

  /** Starts delivering: on becoming leader, or at once without leader election. */
  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    long every = settings.poll().toMillis();
    loop.scheduleWithFixedDelay(this::tickSafely, 0, every, TimeUnit.MILLISECONDS);
    LOG.info("webhooks: delivering (poll every {} ms)", every);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (SQLException e) {
      LOG.warn("webhooks: outbox not readable: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("webhooks: delivery loop", e);
    }
  }

  private void tick() throws SQLException {
    if (!database.ready()) {
      return;
    }
    Instant now = clock.instant();
    WebhookOutbox outbox = database.outbox();
    if (!now.isBefore(nextCount)) {
      stats.pending(outbox.pendingCounts());
      nextCount = now.plusSeconds(2);
    }
    List<Pending> due =
        DueSelection.pick(
            outbox.heads(),
            inFlight,
            notBefore,
            s -> subscriptions.get(s).map(Subscription::deliverable).orElse(false),
            now);
    for (Pending p : due) {
      Subscription s = subscriptions.get(p.subscriber()).orElseThrow();
      inFlight.add(s.key());
      notBefore.put(
          s.key(), now.plusMillis((long) Math.ceil(1000 / settings.perSubscriberPerSecond())));
      send(s, p);
    }
  }

  private void send(Subscription s, Pending p) {
    byte[] body = p.payload().getBytes(StandardCharsets.UTF_8);
    if (body.length > settings.maxBodyBytes()) {
      loop.execute(() -> record(s, p, Outcome.tooLarge(body.length, settings.maxBodyBytes())));
      return;
    }
    HttpRequest request;
    try {
      request = request(s, p, body);
    } catch (WebhookSigningException | RuntimeException e) {
      loop.execute(
          () -> record(s, p, new Outcome(Outcome.Kind.FAILED, "could not sign or address it")));
      return;
    }
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .orTimeout(settings.attemptTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)
        .whenCompleteAsync(
            (response, failure) ->
                record(
                    s,
                    p,
                    failure != null
                        ? Outcome.ofFailure(failure)
                        : Outcome.ofStatus(response.statusCode())),
            loop);
  }

  private HttpRequest request(Subscription s, Pending p, byte[] body)
      throws WebhookSigningException {
    long timestamp = clock.instant().getEpochSecond();
    String id = p.id().toString();
    String payload = new String(body, StandardCharsets.UTF_8);
    List<String> signatures = new ArrayList<>();
    for (String secret : s.secrets()) {
      signatures.add(new Webhook(secret).sign(id, timestamp, payload));
    }
    URI target = settings.resolve().apply(s.url());
    return HttpRequest.newBuilder(target)
        .timeout(settings.attemptTimeout())
        .header("content-type", "application/cloudevents+json; charset=utf-8")
        .header("user-agent", USER_AGENT)
        .header(WebhookSignature.HEADER_ID, id)
        .header(WebhookSignature.HEADER_TIMESTAMP, Long.toString(timestamp))
        .header(WebhookSignature.HEADER_SIGNATURE, String.join(" ", signatures))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  /** On the loop thread: the outcome into the outbox and the stats; frees the subscriber. */
  private void record(Subscription s, Pending p, Outcome outcome) {
    Instant now = clock.instant();
    int attempts = p.attempts() + 1;
    WebhookOutbox outbox = database.outbox();
    try {
      switch (outcome.kind()) {
        case DELIVERED -> {
          outbox.delivered(s.key(), p.id(), attempts, now);
          stats.delivered(s.key(), now);
        }
        case GONE -> {
          int dropped = outbox.abandon(s.key(), outcome.detail(), now);
          stats.gone(s.key(), s.generation());
          warn(
              s,
              "WebhookDisabled",
              "the receiver answered 410 Gone: delivery stopped, "
                  + dropped
                  + " pending events given up; change the Webhook's spec to enable it again");
        }
        case UNDELIVERABLE -> {
          outbox.deadLetter(s.key(), p.id(), attempts, outcome.detail(), now);
          stats.failed(s.key(), outcome.detail(), true);
          warn(s, "DeliveryDeadLettered", p.eventType() + " " + p.id() + ": " + outcome.detail());
        }
        case FAILED -> {
          if (settings.retry().givenUp(p.createdAt(), now)) {
            outbox.deadLetter(s.key(), p.id(), attempts, outcome.detail(), now);
            stats.failed(s.key(), outcome.detail(), true);
            warn(
                s,
                "DeliveryDeadLettered",
                p.eventType()
                    + " "
                    + p.id()
                    + " given up after "
                    + attempts
                    + " attempts: "
                    + outcome.detail());
          } else {
            Duration wait =
                settings.retry().delay(attempts, ThreadLocalRandom.current().nextDouble());
            outbox.retryAt(s.key(), p.id(), attempts, now.plus(wait), outcome.detail());
            stats.failed(s.key(), outcome.detail(), false);
            LOG.info(
                "webhooks: {} to {} failed ({}), attempt {}; again in {} ms",
                p.eventType(),
                s.key(),
                outcome.detail(),
                attempts,
                wait.toMillis());
          }
        }
      }
    } catch (SQLException e) {
      // Left pending: sent again later (at least once).
      LOG.warn("webhooks: could not record the outcome for {}: {}", s.key(), e.getMessage());
    } finally {
      inFlight.remove(s.key());
    }
  }

  private void warn(Subscription s, String reason, String message) {
    LOG.warn("webhook {}: {}: {}", s.key(), reason, message);
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String name = s.key().substring(s.key().indexOf('/') + 1);
    try {
      client
          .v1()
          .events()
          .inNamespace(s.namespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      name
                          + "."
                          + Long.toHexString(
                              ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE))
                  .withNamespace(s.namespace())
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion("dormouse.io/v1alpha1")
                          .withKind("Webhook")
                          .withName(name)
                          .withNamespace(s.namespace())
                          .withUid(s.uid())
                          .build())
                  .withType("Warning")
                  .withReason(reason)
                  .withMessage(message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("dormouse-operator")
                  .endSource()
                  .withReportingComponent("dormouse.io/operator")
                  .withReportingInstance(identity)
                  .build())
          .create();
    } catch (RuntimeException e) {
      LOG.warn("webhook {}: could not post Event {}: {}", s.key(), reason, e.getMessage());
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
