package io.dormouse.sim.cluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded API server: the Fabric8 mock server in CRUD mode behind {@link SimDispatcher}, on an
 * ephemeral loopback port, holding the Dormouse CRDs.
 */
public final class SimApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SimApiServer.class);

  /** The CRDs the crds module generates, on the class path. */
  public static final List<String> DORMOUSE_CRDS =
      List.of(
          "META-INF/fabric8/gputiers.dormouse.io-v1.yml",
          "META-INF/fabric8/inferenceendpoints.dormouse.io-v1.yml");

  /** The mock server logs every request through java.util.logging; held so the level sticks. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server;

  private SimApiServer(KubernetesMockServer server) {
    this.server = server;
  }

  /** Starts the server with the Dormouse CRDs installed and the given namespaces created. */
  public static SimApiServer start(CustomResourceAdmission admission, List<String> namespaces) {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            new HashMap<>(),
            new SimDispatcher(admission),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    SimApiServer api = new SimApiServer(server);
    try (KubernetesClient client = api.newClient()) {
      for (String crd : DORMOUSE_CRDS) {
        client.apiextensions().v1().customResourceDefinitions().resource(loadCrd(crd)).create();
      }
      for (String ns : namespaces) {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(ns)
                    .addToLabels("kubernetes.io/metadata.name", ns)
                    .endMetadata()
                    .build())
            .create();
      }
    } catch (RuntimeException e) {
      server.destroy();
      throw e;
    }
    LOG.info("api server at {}: Dormouse CRDs installed, namespaces {}", api.url(), namespaces);
    return api;
  }

  /** {@code http://127.0.0.1:<port>} */
  public String url() {
    return "http://" + server.getHostName() + ":" + server.getPort();
  }

  /** A client of this server; the caller closes it. */
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(config("default")).build();
  }

  public Config config(String namespace) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withNamespace(namespace)
        .withRequestTimeout(30_000)
        .build();
  }

  /** Writes a kubeconfig for kubectl and for Fabric8 clients (KUBECONFIG). */
  public Path writeKubeconfig(Path file, String namespace) {
    String yaml =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: dormouse-sim",
            "  cluster:",
            "    server: " + url(),
            "contexts:",
            "- name: dormouse-sim",
            "  context:",
            "    cluster: dormouse-sim",
            "    user: dormouse-sim",
            "    namespace: " + namespace,
            "current-context: dormouse-sim",
            "users:",
            "- name: dormouse-sim",
            "  user: {}",
            "");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write kubeconfig " + file, e);
    }
    return file;
  }

  private static CustomResourceDefinition loadCrd(String resource) {
    try (InputStream in = SimApiServer.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("CRD " + resource + " is not on the class path");
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRD " + resource, e);
    }
  }

  @Override
  public void close() {
    server.destroy();
  }
}
