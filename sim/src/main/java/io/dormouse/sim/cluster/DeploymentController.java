package io.dormouse.sim.cluster;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployments without ReplicaSets: keeps {@code spec.replicas} pods of the current template, owned
 * by the Deployment, replaces pods of an older template once the new ones are ready, and reports
 * replicas, readyReplicas, availableReplicas and observedGeneration in the status.
 */
final class DeploymentController extends ControlLoop {

  static final String TEMPLATE_HASH = "pod-template-hash";
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentController.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private final KubernetesClient client;
  private final EventRecorder events;

  DeploymentController(KubernetesClient client) {
    super("deployments", Duration.ofSeconds(1));
    this.client = client;
    this.events = new EventRecorder(client, "deployment-controller");
  }

  @Override
  void start() {
    watch(client.apps().deployments().inAnyNamespace());
    watch(client.pods().inAnyNamespace());
    super.start();
  }

  @Override
  protected void reconcile() {
    List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
    Map<String, List<Pod>> byOwner =
        pods.stream()
            .filter(p -> controllerUid(p) != null)
            .collect(Collectors.groupingBy(DeploymentController::controllerUid));
    for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
      if (d.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      try {
        converge(d, byOwner.getOrDefault(d.getMetadata().getUid(), List.of()));
      } catch (KubernetesClientException e) {
        LOG.debug(
            "deployment {}/{}: retrying: {}",
            d.getMetadata().getNamespace(),
            d.getMetadata().getName(),
            e.getMessage());
      }
    }
  }

  private void converge(Deployment d, List<Pod> owned) {
    String hash = templateHash(d);
    int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    List<Pod> active = owned.stream().filter(p -> !Pods.terminating(p)).toList();
    List<Pod> current = active.stream().filter(p -> hash.equals(label(p, TEMPLATE_HASH))).toList();
    List<Pod> old = active.stream().filter(p -> !hash.equals(label(p, TEMPLATE_HASH))).toList();

    Rollout rollout = Rollout.of(d, desired);
    // Old pods first: with maxSurge 0 (the operator's choice, GPUs are capped) they make room.
    int ready = (int) active.stream().filter(Pods::ready).count();
    int remaining = active.size();
    for (Pod p : old) {
      boolean serving = Pods.ready(p);
      if (rollout.recreate()
          || !serving
          || ready - 1 >= desired - rollout.maxUnavailable()
          || current.stream().filter(Pods::ready).count() >= desired) {
        delete(d, p, "replaced by a newer template");
        remaining--;
        if (serving) {
          ready--;
        }
      }
    }
    boolean oldGone = remaining == current.size();
    for (int i = current.size(); i < desired; i++) {
      if ((rollout.recreate() && !oldGone) || remaining >= desired + rollout.maxSurge()) {
        break;
      }
      create(d, hash);
      remaining++;
    }
    if (current.size() > desired) {
      current.stream()
          .sorted(deletionPreference())
          .limit(current.size() - desired)
          .forEach(p -> delete(d, p, "scaled down"));
    }
    writeStatus(d, desired, active, current);
  }

  /** The Deployment's strategy, resolved against its replica count. */
  record Rollout(boolean recreate, int maxSurge, int maxUnavailable) {

    static Rollout of(Deployment d, int desired) {
      var strategy = d.getSpec().getStrategy();
      if (strategy != null && "Recreate".equals(strategy.getType())) {
        return new Rollout(true, 0, desired);
      }
      var rolling = strategy == null ? null : strategy.getRollingUpdate();
      int surge = resolve(rolling == null ? null : rolling.getMaxSurge(), desired, true);
      int unavailable =
          resolve(rolling == null ? null : rolling.getMaxUnavailable(), desired, false);
      return new Rollout(false, surge, surge == 0 && unavailable == 0 ? 1 : unavailable);
    }

    /** An absolute number or a percentage of the replicas (25% when unset), as Kubernetes does. */
    private static int resolve(
        io.fabric8.kubernetes.api.model.IntOrString value, int desired, boolean roundUp) {
      if (value != null && value.getIntVal() != null) {
        return value.getIntVal();
      }
      String percent = value == null || value.getStrVal() == null ? "25%" : value.getStrVal();
      double share = Double.parseDouble(percent.replace("%", "")) / 100 * desired;
      return (int) (roundUp ? Math.ceil(share) : Math.floor(share));
    }
  }

  /** Unscheduled before scheduled, not ready before ready, newest first: as ReplicaSets pick. */
  private static Comparator<Pod> deletionPreference() {
    return Comparator.comparing((Pod p) -> Pods.scheduled(p))
        .thenComparing(Pods::ready)
        .thenComparing(
            (Pod p) -> p.getMetadata().getCreationTimestamp(), Comparator.reverseOrder());
  }

  private void create(Deployment d, String hash) {
    String ns = d.getMetadata().getNamespace();
    String name = d.getMetadata().getName() + "-" + hash + "-" + suffix();
    Map<String, String> labels = new LinkedHashMap<>();
    var template = d.getSpec().getTemplate();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.put(TEMPLATE_HASH, hash);
    Pod pod =
        new PodBuilder()
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName(name)
                    .withNamespace(ns)
                    .withLabels(labels)
                    .withAnnotations(
                        template.getMetadata() == null
                            ? null
                            : template.getMetadata().getAnnotations())
                    .withOwnerReferences(owner(d))
                    .withFinalizers(Pods.KUBELET_FINALIZER)
                    .build())
            .withSpec(template.getSpec())
            .withNewStatus()
            .withPhase("Pending")
            .endStatus()
            .build();
    client.pods().inNamespace(ns).resource(pod).create();
    LOG.info("deployment {}/{}: created pod {}", ns, d.getMetadata().getName(), name);
    events.normal(d, "SuccessfulCreate", "Created pod: " + name);
  }

  private void delete(Deployment d, Pod pod, String why) {
    String ns = d.getMetadata().getNamespace();
    client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).delete();
    LOG.info(
        "deployment {}/{}: deleting pod {} ({})",
        ns,
        d.getMetadata().getName(),
        pod.getMetadata().getName(),
        why);
    events.normal(d, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
  }

  private void writeStatus(Deployment d, int desired, List<Pod> active, List<Pod> current) {
    int ready = (int) active.stream().filter(Pods::ready).count();
    DeploymentStatus previous = d.getStatus();
    boolean available = ready >= desired;
    DeploymentCondition availableCondition =
        condition(
            previous,
            "Available",
            available,
            available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            available
                ? "Deployment has minimum availability."
                : "Deployment does not have minimum availability.");
    boolean complete = available && current.size() == desired && active.size() == desired;
    DeploymentCondition progressing =
        condition(
            previous,
            "Progressing",
            true,
            complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
            complete
                ? "Deployment \"" + d.getMetadata().getName() + "\" has successfully progressed."
                : "Deployment \"" + d.getMetadata().getName() + "\" is progressing.");
    DeploymentStatus next =
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(active.size())
            .withUpdatedReplicas(current.size())
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withUnavailableReplicas(Math.max(0, desired - ready))
            .withConditions(availableCondition, progressing)
            .build();
    if (previous != null && sameStatus(previous, next)) {
      return;
    }
    client
        .apps()
        .deployments()
        .inNamespace(d.getMetadata().getNamespace())
        .withName(d.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", next)));
  }

  private static boolean sameStatus(DeploymentStatus a, DeploymentStatus b) {
    return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(a.getReplicas(), b.getReplicas())
        && Objects.equals(a.getUpdatedReplicas(), b.getUpdatedReplicas())
        && Objects.equals(a.getReadyReplicas(), b.getReadyReplicas())
        && Objects.equals(a.getAvailableReplicas(), b.getAvailableReplicas())
        && Objects.equals(a.getUnavailableReplicas(), b.getUnavailableReplicas())
        && Objects.equals(summary(a.getConditions()), summary(b.getConditions()));
  }

  private static List<String> summary(List<DeploymentCondition> conditions) {
    List<String> out = new ArrayList<>();
    if (conditions != null) {
      conditions.forEach(c -> out.add(c.getType() + "=" + c.getStatus() + ":" + c.getReason()));
    }
    return out;
  }

  private static DeploymentCondition condition(
      DeploymentStatus previous, String type, boolean status, String reason, String message) {
    String now = Pods.now();
    String value = status ? "True" : "False";
    String since = now;
    if (previous != null && previous.getConditions() != null) {
      for (DeploymentCondition c : previous.getConditions()) {
        if (type.equals(c.getType()) && value.equals(c.getStatus())) {
          since = c.getLastTransitionTime();
        }
      }
    }
    return new DeploymentConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withLastUpdateTime(now)
        .withLastTransitionTime(since)
        .build();
  }

  private static OwnerReference owner(Deployment d) {
    return new OwnerReferenceBuilder()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(d.getMetadata().getName())
        .withUid(d.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private static String controllerUid(Pod pod) {
    return pod.getMetadata().getOwnerReferences().stream()
        .filter(o -> Boolean.TRUE.equals(o.getController()) && "Deployment".equals(o.getKind()))
        .map(OwnerReference::getUid)
        .findFirst()
        .orElse(null);
  }

  private static String label(Pod pod, String key) {
    return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(key);
  }

  /** A stable hash of the pod template: pods of another template are from an older rollout. */
  static String templateHash(Deployment d) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  Serialization.asJson(d.getSpec().getTemplate()).getBytes(StandardCharsets.UTF_8));
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        out.append(ALPHABET.charAt((digest[i] & 0xff) % ALPHABET.length()));
      }
      return out.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String suffix() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return out.toString();
  }
}
