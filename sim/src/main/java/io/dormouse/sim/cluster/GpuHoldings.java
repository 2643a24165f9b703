package io.dormouse.sim.cluster;

import io.dormouse.api.v1alpha1.Wiring;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sim's ground truth of GPU time: for each pod that asked for GPUs, when it was bound to a node
 * and when it was gone from the API server. Tests hold the ledger's GPU intervals against it.
 */
public final class GpuHoldings implements AutoCloseable {

  /** One pod's hold on its GPUs; {@code gone} is null while it still exists. */
  public record Holding(
      String uid,
      String namespace,
      String pod,
      String tier,
      long gpus,
      Instant bound,
      Instant gone) {

    /** GPU-seconds held up to {@code now} (or up to when the pod was gone). */
    public double gpuSeconds(Instant now) {
      Instant end = gone == null ? now : gone;
      return gpus * Duration.between(bound, end).toMillis() / 1000d;
    }
  }

  private final Clock clock;
  private final Map<String, Holding> byUid = new ConcurrentHashMap<>();
  private final Watch watch;

  GpuHoldings(KubernetesClient client, Clock clock) {
    this.clock = clock;
    this.watch =
        client
            .pods()
            .inAnyNamespace()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    record(action, pod);
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  private void record(Watcher.Action action, Pod pod) {
    String uid = pod.getMetadata().getUid();
    Instant now = clock.instant();
    if (action == Watcher.Action.DELETED) {
      byUid.computeIfPresent(
          uid,
          (k, h) ->
              h.gone() != null
                  ? h
                  : new Holding(
                      h.uid(), h.namespace(), h.pod(), h.tier(), h.gpus(), h.bound(), now));
      return;
    }
    if (pod.getSpec() == null || pod.getSpec().getNodeName() == null || byUid.containsKey(uid)) {
      return;
    }
    long gpus =
        Pods.extendedRequests(pod).entrySet().stream()
            .filter(e -> e.getKey().endsWith("/gpu"))
            .mapToLong(Map.Entry::getValue)
            .sum();
    if (gpus <= 0) {
      return;
    }
    Map<String, String> labels = pod.getMetadata().getLabels();
    byUid.putIfAbsent(
        uid,
        new Holding(
            uid,
            pod.getMetadata().getNamespace(),
            pod.getMetadata().getName(),
            labels == null ? null : labels.get(Wiring.LABEL_TIER),
            gpus,
            now,
            null));
  }

  /** Every pod that has held GPUs so far. */
  public List<Holding> holdings() {
    return List.copyOf(byUid.values());
  }

  @Override
  public void close() {
    watch.close();
  }
}
