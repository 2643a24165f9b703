package io.dormouse.operator.resources;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Wiring;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;

/** Admits traffic to an endpoint's engine pods only from gateway pods, on the engine port. */
public final class EngineNetworkPolicy {

  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  private EngineNetworkPolicy() {}

  public static NetworkPolicy build(InferenceEndpoint endpoint, String gatewayNamespace) {
    String name = endpoint.getMetadata().getName();
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(Wiring.engineNetworkPolicyName(name))
        .withNamespace(endpoint.getMetadata().getNamespace())
        .withLabels(Ownership.endpointLabels(endpoint))
        .withOwnerReferences(Ownership.ownerReference(endpoint))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .addToMatchLabels(Wiring.LABEL_ENDPOINT, name)
        .addToMatchLabels(Wiring.LABEL_ROLE, Wiring.ROLE_ENGINE)
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .addNewFrom()
        .withNewNamespaceSelector()
        .addToMatchLabels(NAMESPACE_NAME_LABEL, gatewayNamespace)
        .endNamespaceSelector()
        .withNewPodSelector()
        .addToMatchLabels(Wiring.LABEL_ROLE, Wiring.ROLE_GATEWAY)
        .endPodSelector()
        .endFrom()
        .addNewPort()
        .withProtocol("TCP")
        .withPort(new IntOrString(Wiring.ENGINE_PORT))
        .endPort()
        .endIngress()
        .endSpec()
        .build();
  }
}
