package io.dormouse.operator;

import com.zaxxer.hikari.HikariDataSource;
import io.dormouse.ledger.store.DataSources;
import io.dormouse.operator.events.DeliveryStats;
import io.dormouse.operator.events.EndpointEvents;
import io.dormouse.operator.events.OutboxDatabase;
import io.dormouse.operator.events.OutboxEmitter;
import io.dormouse.operator.events.Subscriptions;
import io.dormouse.operator.events.WebhookDispatcher;
import io.dormouse.operator.events.WebhookReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;

/**
 * The assembly of events out: with a ledger database, the outbox emitter the endpoint reconciler
 * feeds, the Webhook reconciler, and the dispatcher that delivers while this replica leads. Without
 * one, nothing: endpoint events go to Kubernetes Events and logs only.
 */
final class Webhooks implements AutoCloseable {

  private final HikariDataSource dataSource;
  private final OutboxEmitter emitter;
  private final WebhookDispatcher dispatcher;
  private final Subscriptions subscriptions;
  private final DeliveryStats stats;

  private Webhooks(
      HikariDataSource dataSource,
      OutboxEmitter emitter,
      WebhookDispatcher dispatcher,
      Subscriptions subscriptions,
      DeliveryStats stats) {
    this.dataSource = dataSource;
    this.emitter = emitter;
    this.dispatcher = dispatcher;
    this.subscriptions = subscriptions;
    this.stats = stats;
  }

  static Webhooks of(OperatorSettings s, KubernetesClient client) {
    if (s.ledger() == null) {
      return new Webhooks(null, null, null, null, null);
    }
    // Starts without the database; connections are made on the outbox threads only.
    HikariDataSource dataSource = DataSources.pool(s.ledger(), "dormouse-operator-webhooks", 2);
    OutboxDatabase database = new OutboxDatabase(dataSource, s.clock());
    Subscriptions subscriptions = new Subscriptions();
    DeliveryStats stats = new DeliveryStats();
    return new Webhooks(
        dataSource,
        new OutboxEmitter(subscriptions, database, s.clock()),
        new WebhookDispatcher(
            database, subscriptions, stats, s.webhooks(), s.clock(), client, s.identity()),
        subscriptions,
        stats);
  }

  EndpointEvents events() {
    return emitter == null ? EndpointEvents.NONE : emitter;
  }

  void register(Operator operator, OperatorSettings s) {
    if (emitter == null) {
      return;
    }
    operator.register(
        new WebhookReconciler(
            s.operatorNamespace(), subscriptions, stats, s.webhooks().statusEvery(), s.clock()),
        c -> {
          c.withName("webhook");
          if (!s.watchNamespaces().isEmpty()) {
            c.settingNamespaces(s.watchNamespaces());
          }
        });
  }

  void startDelivering() {
    if (dispatcher != null) {
      dispatcher.start();
    }
  }

  @Override
  public void close() {
    if (dispatcher != null) {
      dispatcher.close();
      emitter.close();
      dataSource.close();
    }
  }
}
