package io.dormouse.operator.events;

import io.dormouse.api.events.WebhookSignature;
import io.dormouse.api.v1alpha1.Webhook;
import io.dormouse.api.v1alpha1.WebhookStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads each Webhook and its Secret into {@link Subscriptions}, and writes its status from what the
 * dispatcher saw: Ready (URL, Secret and scope usable), DeliveryFailing, the last success,
 * consecutive failures and pending deliveries. A missing or malformed Secret is a condition, never
 * an exception. Looked at again every {@code statusEvery}.
 */
public final class WebhookReconciler implements Reconciler<Webhook> {

  public static final String READY = "Ready";
  public static final String DELIVERY_FAILING = "DeliveryFailing";
  static final String KEY_SECRET = "secret";
  static final String KEY_PREVIOUS = "previous";

  private final String operatorNamespace;
  private final Subscriptions subscriptions;
  private final DeliveryStats stats;
  private final Duration every;
  private final Clock clock;

  public WebhookReconciler(
      String operatorNamespace,
      Subscriptions subscriptions,
      DeliveryStats stats,
      Duration every,
      Clock clock) {
    this.operatorNamespace = operatorNamespace;
    this.subscriptions = subscriptions;
    this.stats = stats;
    this.every = every;
    this.clock = clock;
  }

  @Override
  public UpdateControl<Webhook> reconcile(Webhook webhook, Context<Webhook> context) {
    String namespace = webhook.getMetadata().getNamespace();
    String key = namespace + "/" + webhook.getMetadata().getName();
    long generation =
        Objects.requireNonNullElse(webhook.getMetadata().getGeneration(), 0L).longValue();
    WebhookStatus before = webhook.getStatus();
    DeliveryStats.Stat stat = stats.of(key);

    Long disabledGeneration = before == null ? null : before.getDisabledGeneration();
    if (stat.goneGeneration() != null && stat.goneGeneration() == generation) {
      disabledGeneration = generation;
    }
    boolean disabled = disabledGeneration != null && disabledGeneration == generation;

    List<String> secrets = new ArrayList<>();
    String problem = readSecrets(webhook, context, secrets);
    boolean allNamespaces = webhook.getSpec().isAllNamespaces();
    if (problem == null && allNamespaces && !operatorNamespace.equals(namespace)) {
      problem =
          "AllNamespacesNotAllowed: allNamespaces is honoured only in the operator's namespace ("
              + operatorNamespace
              + ")";
    }
    if (disabled) {
      problem = "Disabled: the receiver answered 410 Gone; change the spec to enable it again";
    }
    subscriptions.put(
        new Subscription(
            key,
            namespace,
            webhook.getMetadata().getUid(),
            generation,
            URI.create(webhook.getSpec().getUrl()),
            secrets,
            Set.copyOf(
                webhook.getSpec().getTypes() == null ? List.of() : webhook.getSpec().getTypes()),
            webhook.getSpec().getEndpointSelector(),
            allNamespaces && operatorNamespace.equals(namespace),
            disabled,
            problem));
    subscriptions.retain(
        context
            .getPrimaryCache()
            .list()
            .map(w -> w.getMetadata().getNamespace() + "/" + w.getMetadata().getName())
            .collect(Collectors.toCollection(HashSet::new)));

    WebhookStatus after = new WebhookStatus();
    after.setObservedGeneration(generation);
    after.setDisabledGeneration(disabledGeneration);
    String lastSuccess =
        stat.lastSuccess() != null
            ? stat.lastSuccess().truncatedTo(ChronoUnit.SECONDS).toString()
            : before == null ? null : before.getLastSuccessTime();
    after.setLastSuccessTime(lastSuccess);
    after.setConsecutiveFailures(stat.consecutiveFailures());
    after.setPendingDeliveries(stat.pending());
    List<Condition> previous = before == null ? List.of() : before.getConditions();
    after
        .getConditions()
        .add(
            condition(
                previous,
                READY,
                problem == null,
                problem == null ? "Configured" : problem.substring(0, problem.indexOf(':')),
                problem == null
                    ? "signing with " + secrets.size() + " secret(s)"
                    : problem.substring(problem.indexOf(':') + 2),
                generation));
    boolean failing = stat.consecutiveFailures() > 0;
    after
        .getConditions()
        .add(
            condition(
                previous,
                DELIVERY_FAILING,
                failing,
                !failing ? "Delivering" : stat.deadLettered() > 0 ? "DeadLettered" : "Retrying",
                !failing
                    ? "no failed attempt since the last success"
                    : stat.consecutiveFailures()
                        + " failed attempts, the last: "
                        + stat.lastError()
                        + (stat.deadLettered() > 0
                            ? "; " + stat.deadLettered() + " events given up"
                            : ""),
                generation));
    var serialization = context.getClient().getKubernetesSerialization();
    if (before == null || !serialization.asJson(before).equals(serialization.asJson(after))) {
      PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(
          webhook,
          context,
          w -> {
            w.setStatus(after);
            return w;
          });
    }
    return UpdateControl.<Webhook>noUpdate().rescheduleAfter(every);
  }

  /** The Secret's whsec_ values into {@code out}; a problem ("Reason: message") or null. */
  private static String readSecrets(Webhook webhook, Context<Webhook> context, List<String> out) {
    String namespace = webhook.getMetadata().getNamespace();
    String name = webhook.getSpec().getSecretRef().getName();
    Secret secret;
    try {
      secret = context.getClient().secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      return "SecretNotReadable: Secret " + name + " could not be read (" + e.getCode() + ")";
    }
    if (secret == null) {
      return "SecretNotFound: Secret " + name + " does not exist in " + namespace;
    }
    for (String key : List.of(KEY_SECRET, KEY_PREVIOUS)) {
      String value = value(secret, key);
      if (value == null) {
        if (KEY_SECRET.equals(key)) {
          out.clear();
          return "SecretMalformed: Secret " + name + " has no key '" + KEY_SECRET + "'";
        }
        continue;
      }
      try {
        WebhookSignature.key(value);
        out.add(value.strip());
      } catch (WebhookSignature.Invalid e) {
        out.clear();
        // The reason, never the value.
        return "SecretMalformed: Secret " + name + " key '" + key + "': " + e.getMessage();
      }
    }
    return null;
  }

  private static String value(Secret secret, String key) {
    Map<String, String> data = secret.getData();
    if (data != null && data.get(key) != null) {
      try {
        return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return "";
      }
    }
    Map<String, String> plain = secret.getStringData();
    return plain == null ? null : plain.get(key);
  }

  private Condition condition(
      List<Condition> previous,
      String type,
      boolean status,
      String reason,
      String message,
      long generation) {
    String value = status ? "True" : "False";
    String since =
        previous.stream()
            .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .findFirst()
            .orElse(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }
}
