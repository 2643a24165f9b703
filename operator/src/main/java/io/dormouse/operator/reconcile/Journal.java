package io.dormouse.operator.reconcile;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.InferenceEndpointStatus;
import io.dormouse.operator.ledger.EndpointRef;
import io.dormouse.operator.ledger.JournalEntries;
import io.dormouse.operator.ledger.OperatorLedger;
import io.dormouse.operator.lifecycle.EndpointConditions;
import io.dormouse.operator.lifecycle.Fallback;
import io.dormouse.operator.lifecycle.JournalEvent;
import io.dormouse.operator.lifecycle.Plan;
import io.dormouse.operator.lifecycle.Reasons;
import io.dormouse.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations journal: each decision's transitions become a log line naming the endpoint, a
 * Kubernetes Event on it, metrics, and entries of the ledger's journal (kept for good, unlike
 * Events); a deletion is a log line and a ledger entry.
 */
final class Journal {

  static final String COMPONENT = "dormouse-operator";
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

  private final KubernetesClient client;
  private final OperatorMetrics metrics;
  private final Clock clock;
  private final String identity;
  private final OperatorLedger ledger;

  Journal(
      KubernetesClient client,
      OperatorMetrics metrics,
      Clock clock,
      String identity,
      OperatorLedger ledger) {
    this.client = client;
    this.metrics = metrics;
    this.clock = clock;
    this.identity = identity;
    this.ledger = ledger;
  }

  void deleted(InferenceEndpoint endpoint) {
    LOG.info(
        "endpoint {}/{}: deleted",
        endpoint.getMetadata().getNamespace(),
        endpoint.getMetadata().getName());
    ledger.journal(
        java.util.List.of(
            JournalEntries.deleted(
                EndpointRef.of(endpoint), endpoint.getStatus(), clock.instant())));
  }

  /**
   * @param decidedAt when the decision was taken: the ledger's entries carry it, not the later
   *     moment they are recorded
   */
  void record(
      InferenceEndpoint endpoint, InferenceEndpointStatus before, Plan plan, Instant decidedAt) {
    String namespace = endpoint.getMetadata().getNamespace();
    String name = endpoint.getMetadata().getName();
    InferenceEndpointStatus after = plan.status();
    if (before == null || before.getPhase() != after.getPhase()) {
      LOG.info(
          "endpoint {}/{}: phase {} -> {} ({}: {})",
          namespace,
          name,
          before == null ? null : before.getPhase(),
          after.getPhase(),
          after.getReason(),
          after.getMessage());
    }
    for (JournalEvent event : plan.events()) {
      if (event.warning()) {
        LOG.warn("endpoint {}/{}: {}: {}", namespace, name, event.reason(), event.message());
      } else {
        LOG.info("endpoint {}/{}: {}: {}", namespace, name, event.reason(), event.message());
      }
      post(endpoint, event);
      // Only a wake that was asked for ends in WakeFailed; a spec that cannot be served says so
      // with its own reason and is no wake failure.
      if (Reasons.WAKE_FAILED.equals(event.reason())) {
        metrics.wakeFailed(namespace, name);
      }
    }
    ledger.journal(JournalEntries.of(EndpointRef.of(endpoint), before, plan, decidedAt));
    for (Fallback f : plan.fallbacks()) {
      metrics.fallback(namespace, name, f.fromTier(), f.toTier(), f.reason());
    }
    plan.wakeCompleted()
        .ifPresent(w -> metrics.wakeCompleted(namespace, name, w.tier(), w.duration()));
    metrics.observe(
        namespace,
        name,
        after.getPhase(),
        after.getReadyReplicas() == null ? 0 : after.getReadyReplicas(),
        endpoint.getSpec().isMaintenance());
    metrics.tenancy(
        namespace,
        name,
        isFalse(after, EndpointConditions.SERVED_NAME_OWNED),
        isFalse(after, EndpointConditions.PROJECTS_ALLOWED));
  }

  private static boolean isFalse(InferenceEndpointStatus status, String type) {
    return status.getConditions() != null
        && status.getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "False".equals(c.getStatus()));
  }

  private void post(InferenceEndpoint endpoint, JournalEvent entry) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                endpoint.getMetadata().getName()
                    + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE))
            .withNamespace(endpoint.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(endpoint.getApiVersion())
                    .withKind(endpoint.getKind())
                    .withName(endpoint.getMetadata().getName())
                    .withNamespace(endpoint.getMetadata().getNamespace())
                    .withUid(endpoint.getMetadata().getUid())
                    .build())
            .withType(entry.warning() ? "Warning" : "Normal")
            .withReason(entry.reason())
            .withMessage(entry.message())
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent("dormouse.io/operator")
            .withReportingInstance(identity)
            .build();
    try {
      client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // The journal must not stop the control loop; the log line above already says it.
      LOG.warn(
          "endpoint {}/{}: could not post Event {}: {}",
          endpoint.getMetadata().getNamespace(),
          endpoint.getMetadata().getName(),
          entry.reason(),
          e.getMessage());
    }
  }
}
