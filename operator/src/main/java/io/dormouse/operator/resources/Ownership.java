package io.dormouse.operator.resources;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Wiring;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Labels and the owner reference that tie an object to its endpoint (and tier). */
public final class Ownership {

  private Ownership() {}

  public static OwnerReference ownerReference(InferenceEndpoint endpoint) {
    return new OwnerReferenceBuilder()
        .withApiVersion(HasMetadata.getApiVersion(InferenceEndpoint.class))
        .withKind(HasMetadata.getKind(InferenceEndpoint.class))
        .withName(endpoint.getMetadata().getName())
        .withUid(endpoint.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** The labels of the endpoint's objects that belong to no tier. */
  public static Map<String, String> endpointLabels(InferenceEndpoint endpoint) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Wiring.LABEL_ENDPOINT, endpoint.getMetadata().getName());
    labels.put(Wiring.MANAGED_BY, Wiring.MANAGED_BY_VALUE);
    return labels;
  }

  /** The selector of one tier's engine pods; also on the pods, the Deployment and the Service. */
  public static Map<String, String> engineSelector(InferenceEndpoint endpoint, String tier) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Wiring.LABEL_ENDPOINT, endpoint.getMetadata().getName());
    labels.put(Wiring.LABEL_TIER, tier);
    labels.put(Wiring.LABEL_ROLE, Wiring.ROLE_ENGINE);
    return labels;
  }

  public static Map<String, String> engineLabels(InferenceEndpoint endpoint, String tier) {
    Map<String, String> labels = engineSelector(endpoint, tier);
    labels.put(Wiring.MANAGED_BY, Wiring.MANAGED_BY_VALUE);
    return labels;
  }
}
