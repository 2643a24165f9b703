package io.dormouse.gateway.auth;

import io.dormouse.api.v1alpha1.Wiring;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The Secret that stores one key: its hash only, labelled with its project. */
public final class KeySecrets {

  private KeySecrets() {}

  /** The name of a key's Secret: derived from the public id, so it is stable and harmless. */
  public static String secretName(ApiKey key) {
    return "dormouse-key-" + key.keyId().substring(ApiKeys.PREFIX.length());
  }

  public static Secret secretFor(ApiKey key, String project, String namespace) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(secretName(key))
        .withNamespace(namespace)
        .addToLabels(Wiring.LABEL_API_KEY, "true")
        .addToLabels(Wiring.LABEL_PROJECT, project)
        .addToLabels(Wiring.MANAGED_BY, Wiring.MANAGED_BY_VALUE)
        .addToAnnotations(Wiring.ANNOTATION_KEY_ID, key.keyId())
        .endMetadata()
        .withType("Opaque")
        .addToData(
            Wiring.SECRET_KEY_SHA256,
            Base64.getEncoder().encodeToString(key.sha256Hex().getBytes(StandardCharsets.US_ASCII)))
        .build();
  }
}
