package io.dormouse.operator.reconcile;

import io.dormouse.api.v1alpha1.GpuTier;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a tier's NodePool, as a log line and a Kubernetes Event on the GpuTier. A
 * cluster-scoped object's Events live in the {@code default} namespace, where {@code kubectl
 * describe gt} finds them.
 */
final class TierJournal {

  static final String EVENT_NAMESPACE = "default";
  private static final Logger LOG = LoggerFactory.getLogger(TierJournal.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final String identity;

  TierJournal(KubernetesClient client, Clock clock, String identity) {
    this.client = client;
    this.clock = clock;
    this.identity = identity;
  }

  void normal(GpuTier tier, String reason, String message) {
    LOG.info("gputier {}: {}: {}", tier.getMetadata().getName(), reason, message);
    post(tier, "Normal", reason, message);
  }

  void warning(GpuTier tier, String reason, String message) {
    LOG.warn("gputier {}: {}: {}", tier.getMetadata().getName(), reason, message);
    post(tier, "Warning", reason, message);
  }

  private void post(GpuTier tier, String type, String reason, String message) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                tier.getMetadata().getName()
                    + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE))
            .withNamespace(EVENT_NAMESPACE)
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(tier.getApiVersion())
                    .withKind(tier.getKind())
                    .withName(tier.getMetadata().getName())
                    .withUid(tier.getMetadata().getUid())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(Journal.COMPONENT)
            .endSource()
            .withReportingComponent("dormouse.io/operator")
            .withReportingInstance(identity)
            .build();
    try {
      client.v1().events().inNamespace(EVENT_NAMESPACE).resource(event).create();
    } catch (KubernetesClientException e) {
      // The journal must not stop the control loop; the log line already says it.
      LOG.warn(
          "gputier {}: could not post Event {}: {}",
          tier.getMetadata().getName(),
          reason,
          e.getMessage());
    }
  }
}
