package io.dormouse.operator.events;

import io.cloudevents.CloudEvent;
import io.dormouse.api.events.EventType;
import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import io.dormouse.ledger.outbox.OutboxEntry;
import io.dormouse.operator.lifecycle.JournalEvent;
import io.dormouse.operator.lifecycle.Plan;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each decision's transitions into CloudEvents, one outbox entry per interested Webhook, and
 * writes them from its own thread: a reconcile only adds to a bounded queue and never waits for the
 * database. While the database is down entries wait in the queue (in memory: an operator restart in
 * that window loses them).
 */
public final class OutboxEmitter implements EndpointEvents, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxEmitter.class);
  private static final int CAPACITY = 10_000;
  private static final int BATCH = 200;

  private final Subscriptions subscriptions;
  private final OutboxDatabase database;
  private final Clock clock;
  private final BlockingQueue<OutboxEntry> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Thread writer;
  private volatile boolean running = true;

  public OutboxEmitter(Subscriptions subscriptions, OutboxDatabase database, Clock clock) {
    this.subscriptions = subscriptions;
    this.database = database;
    this.clock = clock;
    this.writer = new Thread(this::writeLoop, "webhook-outbox-writer");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  @Override
  public void emit(InferenceEndpoint endpoint, InferenceEndpointStatus before, Plan plan) {
    InferenceEndpointStatus after = plan.status();
    List<EventMapping.Mapped> mapped =
        EventMapping.of(plan.events(), before == null ? null : before.getPhase(), after.getPhase());
    if (mapped.isEmpty()) {
      return;
    }
    String namespace = endpoint.getMetadata().getNamespace();
    String name = endpoint.getMetadata().getName();
    Map<String, String> labels = endpoint.getMetadata().getLabels();
    List<Subscription> subs = subscriptions.all();
    Instant at = clock.instant();
    for (EventMapping.Mapped m : mapped) {
      List<Subscription> interested =
          subs.stream().filter(s -> s.wants(m.type().type(), namespace, labels)).toList();
      if (interested.isEmpty()) {
        continue;
      }
      JournalEvent source = m.source();
      String tier = source != null && source.tier() != null ? source.tier() : after.getActiveTier();
      UUID id = EventFactory.id(endpoint.getMetadata().getUid(), m.type(), tier, at);
      CloudEvent event =
          EventFactory.endpointEvent(
              id,
              m.type(),
              new EventFactory.EndpointData(
                  namespace,
                  name,
                  tier,
                  after.getReplicas(),
                  after.getReadyReplicas(),
                  after.getPhase() == null ? null : after.getPhase().name(),
                  source != null ? source.reason() : after.getReason(),
                  source != null ? source.message() : after.getMessage()),
              at);
      String json = EventFactory.json(event);
      for (Subscription s : interested) {
        offer(new OutboxEntry(id, s.key(), namespace + "/" + name, m.type().type(), json, at));
      }
    }
  }

  /** Emits one event that no decision made (an endpoint deleted). */
  public void emit(EventType type, String namespace, String name, String uid, String message) {
    Instant at = clock.instant();
    UUID id = EventFactory.id(uid, type, null, at);
    String json =
        EventFactory.json(
            EventFactory.endpointEvent(
                id,
                type,
                new EventFactory.EndpointData(
                    namespace, name, null, 0, 0, null, "Deleted", message),
                at));
    for (Subscription s : subscriptions.all()) {
      if (s.wants(type.type(), namespace, null)) {
        offer(new OutboxEntry(id, s.key(), namespace + "/" + name, type.type(), json, at));
      }
    }
  }

  private void offer(OutboxEntry entry) {
    if (!queue.offer(entry)) {
      LOG.error(
          "webhooks: {} events wait for the database already; {} for {} is dropped",
          CAPACITY,
          entry.eventType(),
          entry.subscriber());
    }
  }

  /** Entries not yet written (tests, metrics). */
  public int waiting() {
    return queue.size();
  }

  private void writeLoop() {
    List<OutboxEntry> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        if (batch.isEmpty()) {
          OutboxEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
        }
        if (!database.ready()) {
          if (!running) {
            break;
          }
          TimeUnit.MILLISECONDS.sleep(500);
          continue;
        }
        database.outbox().enqueue(batch);
        batch.clear();
      } catch (SQLException e) {
        LOG.warn("webhooks: could not write {} events yet: {}", batch.size(), e.getMessage());
        if (!running) {
          break;
        }
        pause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void pause() {
    try {
      TimeUnit.SECONDS.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes what is queued if the database lets it within a few seconds, then stops. */
  @Override
  public void close() {
    running = false;
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!queue.isEmpty()) {
      LOG.warn("webhooks: {} events were not written before shutdown", queue.size());
    }
  }
}
