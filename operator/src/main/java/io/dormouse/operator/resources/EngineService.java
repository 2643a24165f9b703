package io.dormouse.operator.resources;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Wiring;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** The ClusterIP Service of one (endpoint, tier); gateways read its EndpointSlices. */
public final class EngineService {

  private EngineService() {}

  public static Service build(InferenceEndpoint endpoint, String tier) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(Wiring.engineName(endpoint.getMetadata().getName(), tier))
        .withNamespace(endpoint.getMetadata().getNamespace())
        .withLabels(Ownership.engineLabels(endpoint, tier))
        .withOwnerReferences(Ownership.ownerReference(endpoint))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(Ownership.engineSelector(endpoint, tier))
        .addNewPort()
        .withName(Wiring.ENGINE_PORT_NAME)
        .withProtocol("TCP")
        .withPort(Wiring.ENGINE_PORT)
        .withTargetPort(new IntOrString(Wiring.ENGINE_PORT_NAME))
        .endPort()
        .endSpec()
        .build();
  }
}
