package io.dormouse.bench.targets;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Fabric8 mock API server in CRUD mode holding the Dormouse CRDs, reachable by other processes
 * through a kubeconfig file. It stands in for the cluster in the benchmark, as in the tests.
 */
public final class MockApi implements AutoCloseable {

  private static final List<String> CRDS =
      List.of(
          "META-INF/fabric8/gputiers.dormouse.io-v1.yml",
          "META-INF/fabric8/inferenceendpoints.dormouse.io-v1.yml",
          "META-INF/fabric8/webhooks.dormouse.io-v1.yml");

  private final KubernetesMockServer server;
  private final RecordingDispatcher dispatcher;
  private final KubernetesClient client;

  private MockApi(KubernetesMockServer server, RecordingDispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.client = server.createClient();
  }

  public static MockApi start() throws IOException {
    RecordingDispatcher dispatcher = new RecordingDispatcher();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    MockApi api = new MockApi(server, dispatcher);
    for (String crd : CRDS) {
      try (InputStream yaml = MockApi.class.getClassLoader().getResourceAsStream(crd)) {
        if (yaml == null) {
          throw new IllegalStateException("the crds jar lacks " + crd);
        }
        api.client
            .resource(
                api.client
                    .getKubernetesSerialization()
                    .unmarshal(yaml, CustomResourceDefinition.class))
            .create();
      }
    }
    return api;
  }

  public KubernetesClient client() {
    return client;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  public List<ApiWrite> writes() {
    return dispatcher.writes();
  }

  /** Told of each write as it arrives, on the server's thread. */
  public void onWrite(Consumer<ApiWrite> listener) {
    dispatcher.onWrite(listener);
  }

  /** A kubeconfig for child processes; its context's namespace is {@code namespace}. */
  public Path writeKubeconfig(Path dir, String namespace) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("kubeconfig");
    Files.writeString(
        file,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: mock",
            "  cluster:",
            "    server: " + url(),
            "users:",
            "- name: bench",
            "  user:",
            "    token: bench",
            "contexts:",
            "- name: mock",
            "  context:",
            "    cluster: mock",
            "    user: bench",
            "    namespace: " + namespace,
            "current-context: mock",
            ""));
    return file;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
