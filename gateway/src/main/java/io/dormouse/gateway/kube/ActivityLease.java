package io.dormouse.gateway.kube;

import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.gateway.routing.EndpointRef;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an endpoint's demand signal: the {@code renewTime} of its Lease {@code
 * <endpoint>-activity}, created if missing. One write is one API request (a merge patch), made on
 * its own thread so the event loop never waits for the API server.
 */
public final class ActivityLease implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ActivityLease.class);
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

  private final KubernetesClient client;
  private final String holder;
  private final Clock clock;
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "dormouse-lease-writer");
            t.setDaemon(true);
            return t;
          });

  public ActivityLease(KubernetesClient client, String holder, Clock clock) {
    this.client = client;
    this.holder = holder;
    this.clock = clock;
  }

  /** Records activity on the endpoint now; returns at once. */
  public void signal(EndpointRef ref) {
    ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
    writer.execute(() -> write(ref, now));
  }

  private void write(EndpointRef ref, ZonedDateTime now) {
    String name = Wiring.activityLeaseName(ref.name());
    var lease = client.resources(Lease.class).inNamespace(ref.namespace()).withName(name);
    try {
      lease.patch(
          PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"renewTime\":\""
              + MICRO_TIME.format(now)
              + "\",\"holderIdentity\":\""
              + holder
              + "\"}}");
      LOG.debug("lease {}/{} renewed", ref.namespace(), name);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        create(ref, name, now);
      } else {
        LOG.warn("lease {}/{}: activity not recorded: {}", ref.namespace(), name, e.getMessage());
      }
    } catch (RuntimeException e) {
      LOG.warn("lease {}/{}: activity not recorded: {}", ref.namespace(), name, e.toString());
    }
  }

  private void create(EndpointRef ref, String name, ZonedDateTime now) {
    try {
      client
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(ref.namespace())
                  .addToLabels(Wiring.LABEL_ENDPOINT, ref.name())
                  .addToLabels(Wiring.MANAGED_BY, Wiring.MANAGED_BY_VALUE)
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity(holder)
                  .withRenewTime(now)
                  .endSpec()
                  .build())
          .create();
      LOG.info("lease {}/{} created with the first activity", ref.namespace(), name);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        write(ref, now); // someone created it meanwhile: renew it instead
      } else {
        LOG.warn("lease {}/{}: activity not recorded: {}", ref.namespace(), name, e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
