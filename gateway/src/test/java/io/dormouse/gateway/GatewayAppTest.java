package io.dormouse.gateway;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewayAppTest {

  @Test
  void withoutAnApiServerStartUpFailsClearlyInsteadOfServingBlind() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:" + closedPort)
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build()) {
      assertThatThrownBy(
              () ->
                  GatewayApp.start(
                      GatewaySettings.builder()
                          .client(client)
                          .host("127.0.0.1")
                          .port(0)
                          .managementPort(0)
                          .watchStartTimeout(Duration.ofSeconds(3))
                          .build()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + closedPort);
    }
  }
}
