package io.dormouse.operator.reconcile;

import io.dormouse.api.v1alpha1.GpuTier;
import io.dormouse.api.v1alpha1.Wiring;
import io.dormouse.operator.lifecycle.Plan;
import io.dormouse.operator.lifecycle.TierCapacity;
import io.dormouse.operator.resources.EngineDeployment;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The GPUs each endpoint asks of each tier, so that caps hold across endpoints. Decisions that read
 * the caps run one at a time here, and each records what it asked for before the next reads:
 * endpoints reconciled in parallel cannot both take the last GPUs, even before the informer cache
 * shows the first one's scale-up. Only the leader decides, so one process is the whole truth.
 */
final class GpuLedger {

  /** endpoint key (namespace/name) → tier → GPUs asked. */
  private final Map<String, Map<String, Integer>> claims = new HashMap<>();

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /**
   * Runs {@code decide} with each existing tier's capacity as other endpoints use it, and records
   * the resulting plan's GPUs as {@code self}'s claim.
   */
  synchronized Plan decide(
      String self,
      int gpusPerReplica,
      Map<String, GpuTier> tiers,
      Stream<Deployment> engineDeployments,
      Set<String> liveEndpoints,
      Function<Map<String, TierCapacity>, Plan> decide) {
    Map<String, Map<String, Integer>> use = new HashMap<>();
    engineDeployments.forEach(
        d -> {
          String endpoint = d.getMetadata().getLabels().get(Wiring.LABEL_ENDPOINT);
          String tier = d.getMetadata().getLabels().get(Wiring.LABEL_TIER);
          if (endpoint == null || tier == null) {
            return;
          }
          int gpus =
              gpusOf(d) * (d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas());
          use.computeIfAbsent(key(d.getMetadata().getNamespace(), endpoint), k -> new HashMap<>())
              .merge(tier, gpus, Integer::sum);
        });
    claims.keySet().retainAll(liveEndpoints);
    use.putAll(claims);
    Map<String, TierCapacity> capacity = new HashMap<>();
    tiers.forEach(
        (name, tier) -> {
          int others =
              use.entrySet().stream()
                  .filter(e -> !e.getKey().equals(self))
                  .mapToInt(e -> e.getValue().getOrDefault(name, 0))
                  .sum();
          capacity.put(name, new TierCapacity(name, tier.getSpec().getMaxGpus(), others));
        });
    Plan plan = decide.apply(capacity);
    Map<String, Integer> mine = new HashMap<>();
    plan.replicas().forEach((tier, replicas) -> mine.put(tier, replicas * gpusPerReplica));
    claims.put(self, mine);
    return plan;
  }

  synchronized int claimed(String endpoint, String tier) {
    return claims.getOrDefault(endpoint, Map.of()).getOrDefault(tier, 0);
  }

  static int gpusOf(Deployment deployment) {
    String value =
        deployment.getMetadata().getAnnotations() == null
            ? null
            : deployment
                .getMetadata()
                .getAnnotations()
                .get(EngineDeployment.ANNOTATION_GPUS_PER_REPLICA);
    try {
      return value == null ? 1 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
