package io.dormouse.operator.ledger;

import io.dormouse.api.v1alpha1.InferenceEndpoint;

/** Which endpoint a journal entry is about: its name, its uid and the generation seen. */
public record EndpointRef(String namespace, String name, String uid, Long generation) {

  public static EndpointRef of(InferenceEndpoint endpoint) {
    return new EndpointRef(
        endpoint.getMetadata().getNamespace(),
        endpoint.getMetadata().getName(),
        endpoint.getMetadata().getUid(),
        endpoint.getMetadata().getGeneration());
  }
}
