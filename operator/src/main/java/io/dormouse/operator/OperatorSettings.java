package io.dormouse.operator;

import io.dormouse.operator.lifecycle.Intent;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * How to run the operator. Start from {@link #defaults()} and change what differs.
 *
 * @param kubeconfig a kubeconfig file to use instead of Fabric8's auto-configuration, or null
 * @param client a ready client (tests, the simulator), or null; it wins over {@code kubeconfig}
 * @param watchNamespaces namespaces of InferenceEndpoints to reconcile; empty for all
 * @param managementPort /metrics, /livez, /readyz; 0 for an ephemeral port
 * @param identity this replica's name in leader election and in Events
 * @param maxReconcileInterval every endpoint is reconciled at least this often
 * @param drainDelay how long a lower tier keeps serving after traffic moved back up
 */
public record OperatorSettings(
    String operatorNamespace,
    String gatewayNamespace,
    String presetsConfigMap,
    int managementPort,
    boolean leaderElection,
    Set<String> watchNamespaces,
    String kubeconfig,
    KubernetesClient client,
    Clock clock,
    String identity,
    Duration maxReconcileInterval,
    Duration drainDelay) {

  public static final String LEADER_LEASE = "dormouse-operator";

  public OperatorSettings {
    watchNamespaces = Set.copyOf(watchNamespaces);
  }

  public static OperatorSettings defaults() {
    return new OperatorSettings(
        "dormouse-system",
        "dormouse-system",
        "dormouse-model-presets",
        8081,
        true,
        Set.of(),
        null,
        null,
        Clock.systemUTC(),
        defaultIdentity(),
        Duration.ofSeconds(60),
        Intent.DEFAULT_DRAIN_DELAY);
  }

  public OperatorSettings withOperatorNamespace(String value) {
    return new OperatorSettings(
        value,
        gatewayNamespace,
        presetsConfigMap,
        managementPort,
        leaderElection,
        watchNamespaces,
        kubeconfig,
        client,
        clock,
        identity,
        maxReconcileInterval,
        drainDelay);
  }

  public OperatorSettings withGatewayNamespace(String value) {
    return new OperatorSettings(
        operatorNamespace,
        value,
        presetsConfigMap,
        managementPort,
        leaderElection,
        watchNamespaces,
        kubeconfig,
        client,
        clock,
        identity,
        maxReconcileInterval,
        drainDelay);
  }

  public OperatorSettings withPresetsConfigMap(String value) {
    return new OperatorSettings(
        operatorNamespace,
        gatewayNamespace,
        value,
        managementPort,
        leaderElection,
        watchNamespaces,
        kubeconfig,
        client,
        clock,
        identity,
        maxReconcileInterval,
        drainDelay);
  }

  public OperatorSettings withManagementPort(int value) {
    return new OperatorSettings(
        operatorNamespace,
        gatewayNamespace,
        presetsConfigMap,
        value,
        leaderElection,
        watchNamespaces,
        kubeconfig,
        client,
        clock,
        identity,
        maxReconcileInterval,
        drainDelay);
  }

  public OperatorSettings withLeaderElection(boolean value) {
    return new OperatorSettings(
        operatorNamespace,
        gatewayNamespace,
        presetsConfigMap,
        managementPort,
        value,
        watchNamespaces,
        kubeconfig,
        client,
        clock,
        identity,
        maxReconcileInterval,
        drainDelay);
  }

  public OperatorSettings withWatchNamespaces(Set<String> value) {
    return new OperatorSettings(
        operatorNamespace,
        gatewayNamespace,
        presetsConfigMap,
        managementPort,
        leaderElection,
        value,
        kubeconfig,
        client,
        clock,
        identity,
        maxReconcileInterval,
        drainDelay);
  }

  public OperatorSettings withKubeconfig(String value) {
    return new OperatorSettings(
        operatorNamespace,
        gatewayNamespace,
        presetsConfigMap,
        managementPort,
        leaderElection,
        watchNamespaces,
        value,
        client,
        clock,
        identity,
        maxReconcileInterval,
        drainDelay);
  }

  public OperatorSettings withClient(KubernetesClient value) {
    return new OperatorSettings(
        operatorNamespace,
        gatewayNamespace,
        presetsConfigMap,
        managementPort,
        leaderElection,
        watchNamespaces,
        kubeconfig,
        value,
        clock,
        identity,
        maxReconcileInterval,
        drainDelay);
  }

  public OperatorSettings withClock(Clock value) {
    return new OperatorSettings(
        operatorNamespace,
        gatewayNamespace,
        presetsConfigMap,
        managementPort,
        leaderElection,
        watchNamespaces,
        kubeconfig,
        client,
        value,
        identity,
        maxReconcileInterval,
        drainDelay);
  }

  public OperatorSettings withIdentity(String value) {
    return new OperatorSettings(
        operatorNamespace,
        gatewayNamespace,
        presetsConfigMap,
        managementPort,
        leaderElection,
        watchNamespaces,
        kubeconfig,
        client,
        clock,
        value,
        maxReconcileInterval,
        drainDelay);
  }

  public OperatorSettings withMaxReconcileInterval(Duration value) {
    return new OperatorSettings(
        operatorNamespace,
        gatewayNamespace,
        presetsConfigMap,
        managementPort,
        leaderElection,
        watchNamespaces,
        kubeconfig,
        client,
        clock,
        identity,
        value,
        drainDelay);
  }

  public OperatorSettings withDrainDelay(Duration value) {
    return new OperatorSettings(
        operatorNamespace,
        gatewayNamespace,
        presetsConfigMap,
        managementPort,
        leaderElection,
        watchNamespaces,
        kubeconfig,
        client,
        clock,
        identity,
        maxReconcileInterval,
        value);
  }

  private static String defaultIdentity() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    String host = System.getenv("HOSTNAME");
    return host != null && !host.isBlank()
        ? host
        : "dormouse-operator-" + ProcessHandle.current().pid();
  }
}
