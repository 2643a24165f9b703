package io.dormouse.bench.targets;

import io.dormouse.operator.OperatorMain;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The Dormouse operator as its own process (OperatorMain), against the mock API server. */
public final class OperatorProcess implements AutoCloseable {

  private final ChildProcess process;
  private final int managementPort;

  private OperatorProcess(ChildProcess process, int managementPort) {
    this.process = process;
    this.managementPort = managementPort;
  }

  /** Namespaces (when missing) and an empty preset catalog, as the chart would install them. */
  public static void seed(KubernetesClient client, List<String> namespaces) {
    for (String ns : namespaces) {
      if (client.namespaces().withName(ns).get() == null) {
        client
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
      }
    }
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("dormouse-model-presets")
                .withNamespace(Seeds.GATEWAY_NAMESPACE)
                .endMetadata()
                .addToData("presets.yaml", "{}\n")
                .build())
        .createOr(c -> c.update());
  }

  public static OperatorProcess start(MockApi api, Path work, Path logs) throws Exception {
    int management = Ports.free();
    Path kubeconfig = api.writeKubeconfig(work.resolve("operator"), Seeds.GATEWAY_NAMESPACE);
    ChildProcess child =
        ChildProcess.start(
            "operator",
            ChildProcess.java(
                OperatorMain.class.getName(),
                List.of("-Xmx1g"),
                List.of(
                    "--namespace",
                    Seeds.GATEWAY_NAMESPACE,
                    "--gateway-namespace",
                    Seeds.GATEWAY_NAMESPACE,
                    "--management-port",
                    String.valueOf(management),
                    "--no-leader-election",
                    "--kubeconfig",
                    kubeconfig.toString(),
                    "--log-level",
                    "WARN")),
            Map.of(),
            logs);
    return new OperatorProcess(child, management);
  }

  public URI metricsUrl() {
    return URI.create("http://127.0.0.1:" + managementPort + "/metrics");
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.close();
  }
}
