package io.dormouse.sim.cluster;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sim's storage: every PersistentVolumeClaim is bound at once to a volume of the size it asks
 * for, as a default StorageClass that provisions immediately would. A claim that does not exist is
 * what keeps a pod Pending ({@link Scheduler}).
 */
final class VolumeBinder extends ControlLoop {

  private static final Logger LOG = LoggerFactory.getLogger(VolumeBinder.class);

  private final KubernetesClient client;

  VolumeBinder(KubernetesClient client) {
    super("volume-binder", Duration.ofSeconds(5));
    this.client = client;
  }

  @Override
  void start() {
    watch(client.persistentVolumeClaims().inAnyNamespace());
    super.start();
  }

  @Override
  protected void reconcile() {
    for (PersistentVolumeClaim claim :
        client.persistentVolumeClaims().inAnyNamespace().list().getItems()) {
      if (claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase())) {
        continue;
      }
      Map<String, Quantity> requests =
          claim.getSpec() == null || claim.getSpec().getResources() == null
              ? null
              : claim.getSpec().getResources().getRequests();
      String size =
          requests == null || requests.get("storage") == null
              ? "1Gi"
              : requests.get("storage").toString();
      String volume = "pvc-" + claim.getMetadata().getUid();
      List<String> modes =
          claim.getSpec() == null || claim.getSpec().getAccessModes() == null
              ? List.of("ReadWriteOnce")
              : claim.getSpec().getAccessModes();
      try {
        client
            .persistentVolumeClaims()
            .inNamespace(claim.getMetadata().getNamespace())
            .withName(claim.getMetadata().getName())
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                Serialization.asJson(
                    Map.of(
                        "spec",
                        Map.of("volumeName", volume, "storageClassName", storageClass(claim)),
                        "status",
                        Map.of(
                            "phase",
                            "Bound",
                            "accessModes",
                            modes,
                            "capacity",
                            Map.of("storage", size)))));
        LOG.info(
            "claim {}/{}: bound to {} ({})",
            claim.getMetadata().getNamespace(),
            claim.getMetadata().getName(),
            volume,
            size);
      } catch (KubernetesClientException e) {
        LOG.debug("claim {}: retrying: {}", claim.getMetadata().getName(), e.getMessage());
      }
    }
  }

  private static String storageClass(PersistentVolumeClaim claim) {
    String named = claim.getSpec() == null ? null : claim.getSpec().getStorageClassName();
    return named == null ? "standard" : named;
  }
}
