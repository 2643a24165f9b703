package io.dormouse.operator.it;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * A client on the same mock server as the injected one, with timeouts a loaded machine can meet:
 * the default 10 s to get a connection was missed during CRD install and informer start-up while
 * other builds ran, failing tests before they asserted anything. Only waiting grows; every
 * assertion stays as it was.
 */
final class PatientClient {

  private static final int TIMEOUT_MS = 60_000;

  private PatientClient() {}

  static KubernetesClient of(KubernetesClient injected) {
    Config config =
        new ConfigBuilder(injected.getConfiguration())
            .withConnectionTimeout(TIMEOUT_MS)
            .withRequestTimeout(TIMEOUT_MS)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
