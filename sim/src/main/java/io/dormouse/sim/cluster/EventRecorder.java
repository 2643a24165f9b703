package io.dormouse.sim.cluster;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes core/v1 Events as the cluster's own components do, so kubectl describe shows them. */
final class EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime());

  private final KubernetesClient client;
  private final String component;

  EventRecorder(KubernetesClient client, String component) {
    this.client = client;
    this.component = component;
  }

  void normal(HasMetadata object, String reason, String message) {
    record(object, "Normal", reason, message);
  }

  void warning(HasMetadata object, String reason, String message) {
    record(object, "Warning", reason, message);
  }

  private void record(HasMetadata object, String type, String reason, String message) {
    String ns =
        object.getMetadata().getNamespace() == null
            ? "default"
            : object.getMetadata().getNamespace();
    String now = Pods.now();
    try {
      client
          .v1()
          .events()
          .inNamespace(ns)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      object.getMetadata().getName()
                          + "."
                          + Long.toHexString(SEQUENCE.incrementAndGet()).toLowerCase(Locale.ROOT))
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(object.getApiVersion())
                  .withKind(object.getKind())
                  .withName(object.getMetadata().getName())
                  .withNamespace(object.getMetadata().getNamespace())
                  .withUid(object.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withNewSource()
                  .withComponent(component)
                  .endSource()
                  .withReportingComponent(component)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.debug(
          "{}: cannot record event {} on {}/{}: {}",
          component,
          reason,
          ns,
          object.getMetadata().getName(),
          e.getMessage());
    }
  }
}
