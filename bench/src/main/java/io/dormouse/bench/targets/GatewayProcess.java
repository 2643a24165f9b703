package io.dormouse.bench.targets;

import io.dormouse.api.v1alpha1.InferenceEndpoint;
import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.GatewayMain;
import io.dormouse.gateway.auth.ApiKey;
import io.dormouse.gateway.auth.ApiKeys;
import io.dormouse.gateway.auth.KeySecrets;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Target (b): the Dormouse gateway as its own process (GatewayMain, as in production), watching the
 * mock API server, with a real API key, per-project rate limits and usage accounting on.
 */
public final class GatewayProcess implements AutoCloseable {

  private final ChildProcess process;
  private final int port;
  private final int managementPort;
  private final ApiKey key;

  private GatewayProcess(ChildProcess process, int port, int managementPort, ApiKey key) {
    this.process = process;
    this.port = port;
    this.managementPort = managementPort;
    this.key = key;
  }

  /**
   * Seeds the key, the tier and the gateway's own Service, then {@code before} (objects the gateway
   * should find when it starts), then starts the gateway and waits until it is ready.
   */
  public static GatewayProcess start(
      MockApi api, Path work, Path logs, Consumer<KubernetesClient> before) throws Exception {
    return start(api, work, logs, before, "gateway", Map.of());
  }

  /**
   * {@link #start}, as process {@code name} with environment variables of its own (the ledger's
   * {@code DORMOUSE_LEDGER_*}).
   */
  public static GatewayProcess start(
      MockApi api,
      Path work,
      Path logs,
      Consumer<KubernetesClient> before,
      String name,
      Map<String, String> env)
      throws Exception {
    KubernetesClient client = api.client();
    for (String ns : List.of(Seeds.GATEWAY_NAMESPACE, Seeds.ENDPOINT_NAMESPACE)) {
      if (client.namespaces().withName(ns).get() == null) {
        client
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
      }
    }
    client.resource(Seeds.tier()).create();
    ApiKey key = ApiKeys.mint();
    client.resource(KeySecrets.secretFor(key, Seeds.PROJECT, Seeds.GATEWAY_NAMESPACE)).create();
    int port = Ports.free();
    int management = Ports.free();
    client.resource(Seeds.gatewaySlice(port)).create();
    before.accept(client);
    Path kubeconfig = api.writeKubeconfig(work.resolve(name), Seeds.GATEWAY_NAMESPACE);
    ChildProcess child =
        ChildProcess.start(
            name,
            ChildProcess.java(
                GatewayMain.class.getName(),
                List.of("-Xmx512m"),
                List.of(
                    "--namespace",
                    Seeds.GATEWAY_NAMESPACE,
                    "--service",
                    Seeds.GATEWAY_SERVICE,
                    "--host",
                    "127.0.0.1",
                    "--port",
                    String.valueOf(port),
                    "--management-port",
                    String.valueOf(management),
                    "--pod-name",
                    "bench-gateway",
                    "--kubeconfig",
                    kubeconfig.toString())),
            env,
            logs);
    GatewayProcess gateway = new GatewayProcess(child, port, management, key);
    gateway.awaitReady(Duration.ofSeconds(120)); // a loaded machine starts a JVM slowly
    return gateway;
  }

  /**
   * Adds an endpoint in the given phase (null: leave the status to the operator), with its engine
   * slice (null port: no slice yet).
   */
  public static InferenceEndpoint addEndpoint(
      KubernetesClient client, String name, Phase phase, Integer enginePort, int maxWaiting) {
    InferenceEndpoint ie = client.resource(Seeds.endpoint(name, maxWaiting)).create();
    if (phase != null) {
      setPhase(client, ie.getMetadata().getName(), phase);
    }
    if (enginePort != null) {
      client.resource(Seeds.engineSlice(name, enginePort, true)).create();
    }
    return ie;
  }

  public static void setPhase(KubernetesClient client, String name, Phase phase) {
    client
        .resources(InferenceEndpoint.class)
        .inNamespace(Seeds.ENDPOINT_NAMESPACE)
        .withName(name)
        .editStatus(
            ie -> {
              if (ie.getStatus() == null) {
                ie.setStatus(new io.dormouse.api.v1alpha1.InferenceEndpointStatus());
              }
              ie.getStatus().setPhase(phase);
              ie.getStatus().setReadyReplicas(phase == Phase.Ready ? 1 : 0);
              return ie;
            });
  }

  private void awaitReady(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/readyz"))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("gateway not ready within " + timeout + " (see its log)");
  }

  /** Polls until the gateway answers a request for {@code model} with anything but 404. */
  public void awaitRoute(String model, Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest probe =
        HttpRequest.newBuilder(chatUrl())
            .header("authorization", "Bearer " + key.secret())
            .header("content-type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\""
                        + model
                        + "\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    int last = 0;
    while (System.nanoTime() < deadline) {
      last = http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (last == 200) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("gateway: model " + model + " still answers " + last);
  }

  public URI chatUrl() {
    return URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
  }

  public URI metricsUrl() {
    return URI.create("http://127.0.0.1:" + managementPort + "/metrics");
  }

  public String apiKey() {
    return key.secret();
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.close();
  }
}
