package io.dormouse.sim.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dormouse.sim.cluster.SimCluster;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed kubectl (1.32, which sends protobuf for built-in kinds) against the sim: every
 * command the docs and issue #11 name behaves as against a real API server, or fails exactly as one
 * would. Each test works in a namespace of its own, created with kubectl.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlAgainstSimTest {

  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  static final String ENDPOINT =
      """
      apiVersion: dormouse.io/v1alpha1
      kind: InferenceEndpoint
      metadata:
        name: %s
        namespace: %s
      spec:
        model:
          name: meta-llama/Meta-Llama-3-8B-Instruct
        replicas: %d
        tiers: [spot]
        access:
          public: true
      """;

  /**
   * An engine pod's Deployment, as the operator makes one, without GPUs (the CPU node runs it).
   * {@code containerExtra} and {@code podExtra} are YAML lines indented for the container and the
   * pod spec.
   */
  static String engine(String name, String ns, String containerExtra, String podExtra) {
    return String.join(
        "\n",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: {name: " + name + ", namespace: " + ns + "}",
        "spec:",
        "  replicas: 1",
        "  selector:",
        "    matchLabels: {app: " + name + "}",
        "  template:",
        "    metadata:",
        "      labels: {app: " + name + ", dormouse.io/role: engine}",
        "    spec:",
        "      containers:",
        "      - name: vllm",
        "        image: vllm/vllm-openai:v0.8.5",
        "        args: [--model, facebook/opt-125m, --served-model-name, opt, --port, \"8000\"]",
        "        env:",
        "        - {name: DORMOUSE_SIM_STARTUP, value: 200ms}",
        containerExtra,
        podExtra,
        "");
  }

  @TempDir Path dir;
  private SimCluster cluster;
  private KubernetesClient client;
  private Kubectl kubectl;

  @BeforeAll
  void start(@TempDir Path config) {
    assumeTrue(Kubectl.installed(), "kubectl is not installed on this machine: test skipped");
    cluster =
        SimCluster.start(
            new SimCluster.Settings()
                .admission(CrdValidatorAdmission.forDormouse())
                .namespaces(List.of("default")));
    client = cluster.client();
    kubectl = new Kubectl(cluster.writeKubeconfig(config.resolve("kubeconfig"), "default"));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A namespace of the test's own, made as a user makes one (kubectl sends it as protobuf). */
  private String namespace() throws Exception {
    String ns = "t" + NAMESPACES.incrementAndGet();
    Kubectl.Result created = kubectl.run("create", "namespace", ns);
    assertThat(created.out()).as(created.out()).contains("namespace/" + ns + " created");
    return ns;
  }

  private Path file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void createNamespaceAndSecretAreReadFromProtobuf() throws Exception {
    String ns = namespace();

    Kubectl.Result secret =
        kubectl.run("-n", ns, "create", "secret", "generic", "hf", "--from-literal=token=hf_abc");
    Kubectl.Result value =
        kubectl.run("-n", ns, "get", "secret", "hf", "-o", "jsonpath={.data.token} {.type}");
    Kubectl.Result secrets = kubectl.run("-n", ns, "get", "secrets");
    Kubectl.Result namespaces = kubectl.run("get", "namespace", ns);

    assertThat(secret.out()).contains("secret/hf created");
    assertThat(value.out())
        .isEqualTo(
            Base64.getEncoder().encodeToString("hf_abc".getBytes(StandardCharsets.UTF_8))
                + " Opaque");
    assertThat(header(secrets)).containsExactly("NAME", "TYPE", "DATA", "AGE");
    assertThat(secrets.out()).containsPattern("hf\\s+Opaque\\s+1\\s+\\d+s");
    assertThat(namespaces.out()).containsPattern(ns + "\\s+Active\\s+\\d+s");
  }

  @Test
  void applyListsDescribesAndRefusesEndpoints() throws Exception {
    String ns = namespace();
    Path good = file("good.yaml", ENDPOINT.formatted("llama", ns, 1));
    Path bad = file("bad.yaml", ENDPOINT.formatted("broken", ns, 0));

    Kubectl.Result applied = kubectl.run("apply", "-f", good.toString());
    Kubectl.Result reapplied = kubectl.run("apply", "-f", good.toString());
    Kubectl.Result refused = kubectl.run("apply", "-f", bad.toString());
    Kubectl.Result listed = kubectl.run("-n", ns, "get", "ie");

    assertThat(applied.out()).contains("inferenceendpoint.dormouse.io/llama created");
    assertThat(reapplied.exitCode()).as(reapplied.out()).isZero();
    assertThat(reapplied.out()).contains("inferenceendpoint.dormouse.io/llama unchanged");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.out()).contains("is invalid: spec.replicas");
    // The declared column order, and the age as an age, not a timestamp.
    assertThat(header(listed))
        .containsExactly(
            "NAME",
            "SERVED-NAME",
            "MODEL",
            "PHASE",
            "TIER",
            "READY",
            "LAST-ACTIVITY",
            "COST-TODAY",
            "AGE");
    assertThat(listed.out())
        .containsPattern("llama\\s+meta-llama/Meta-Llama-3-8B-Instruct\\s+\\d+s")
        .doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T");
  }

  @Test
  void describeShowsTheObjectsEventsAndGetEventsTheUsualColumns() throws Exception {
    String ns = namespace();
    kubectl.run("apply", "-f", file("ie.yaml", ENDPOINT.formatted("llama", ns, 1)).toString());
    var ie =
        client
            .genericKubernetesResources("dormouse.io/v1alpha1", "InferenceEndpoint")
            .inNamespace(ns)
            .withName("llama")
            .get();
    for (String reason : List.of("Created", "Waking", "Ready")) {
      client
          .v1()
          .events()
          .inNamespace(ns)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName("llama." + reason.toLowerCase())
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion("dormouse.io/v1alpha1")
                  .withKind("InferenceEndpoint")
                  .withName("llama")
                  .withNamespace(ns)
                  .withUid(ie.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType("Normal")
                  .withReason(reason)
                  .withMessage("the endpoint is " + reason.toLowerCase())
                  .withNewSource()
                  .withComponent("dormouse-operator")
                  .endSource()
                  .withLastTimestamp(Instant.now().toString())
                  .withFirstTimestamp(Instant.now().toString())
                  .withCount(1)
                  .build())
          .create();
    }
    // An Event of another object, which describe must leave out.
    client
        .v1()
        .events()
        .inNamespace(ns)
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName("other.1")
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("InferenceEndpoint")
                .withName("other")
                .withNamespace(ns)
                .endInvolvedObject()
                .withType("Warning")
                .withReason("Elsewhere")
                .withMessage("not about llama")
                .build())
        .create();

    Kubectl.Result described = kubectl.run("-n", ns, "describe", "ie", "llama");
    Kubectl.Result events = kubectl.run("-n", ns, "get", "events");
    Kubectl.Result selected =
        kubectl.run("-n", ns, "get", "events", "--field-selector", "involvedObject.name=other");
    Kubectl.Result unsupported =
        kubectl.run("-n", ns, "get", "events", "--field-selector", "spec.nothing=x");

    assertThat(described.out())
        .contains("Events:")
        .doesNotContain("Events:  <none>")
        .contains("the endpoint is waking")
        .contains("dormouse-operator")
        .doesNotContain("not about llama");
    assertThat(header(events))
        .containsExactly("LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
    assertThat(events.out()).containsPattern("Normal\\s+Waking\\s+inferenceendpoint/llama");
    assertThat(selected.out()).contains("Elsewhere").doesNotContain("Waking");
    assertThat(unsupported.exitCode()).isNotZero();
    assertThat(unsupported.out()).contains("field label not supported: spec.nothing");
  }

  @Test
  void getWatchStreamsChangesOverHttp() throws Exception {
    String ns = namespace();
    kubectl.run("apply", "-f", file("a.yaml", ENDPOINT.formatted("first", ns, 1)).toString());

    try (Kubectl.Running watch = kubectl.start(dir.resolve("watch.out"), "get", "ie", "-A", "-w")) {
      await().atMost(BOUND).until(() -> watch.out().contains("first"));
      kubectl.run("apply", "-f", file("b.yaml", ENDPOINT.formatted("second", ns, 1)).toString());
      kubectl.run("-n", ns, "annotate", "ie", "first", "touched=yes");

      await()
          .atMost(BOUND)
          .untilAsserted(
              () ->
                  assertThat(watch.out().lines().filter(l -> l.contains("first")).count())
                      .isEqualTo(2));
      await().atMost(BOUND).until(() -> watch.out().contains("second"));
      assertThat(watch.alive()).as(watch.out()).isTrue();
      assertThat(watch.out()).doesNotContain("Upgrade").doesNotContain("error");
      // The list's header once, and no replay of what was listed.
      assertThat(watch.out().lines().filter(l -> l.startsWith("NAMESPACE")).count()).isOne();
    }
  }

  @Test
  void explainPrintsTheSchemasAndTheCrdsDescriptions() throws Exception {
    Kubectl.Result endpoint = kubectl.run("explain", "inferenceendpoint.spec");
    Kubectl.Result scaling = kubectl.run("explain", "ie.spec.scaling.idleTimeout");
    Kubectl.Result tier = kubectl.run("explain", "gputier.spec");
    Kubectl.Result deployment = kubectl.run("explain", "deployment.spec");

    assertThat(endpoint.exitCode()).as(endpoint.out()).isZero();
    assertThat(endpoint.out())
        .contains("KIND:       InferenceEndpoint")
        .contains("The model to serve, the GPU tiers to run it on")
        .contains("tiers\t<[]string> -required-");
    assertThat(scaling.out()).contains("FIELD: idleTimeout <string>");
    assertThat(tier.exitCode()).as(tier.out()).isZero();
    assertThat(tier.out()).contains("capacityType").contains("pricePerGpuHour");
    assertThat(deployment.exitCode()).as(deployment.out()).isZero();
    assertThat(deployment.out())
        .contains("FIELD: spec <DeploymentSpec>")
        .contains("replicas\t<integer>")
        .contains("template\t<PodTemplateSpec>");
  }

  @Test
  void dryRunStoresNothing() throws Exception {
    String ns = namespace();
    Path manifest = file("dry.yaml", ENDPOINT.formatted("dry", ns, 1));

    Kubectl.Result dryCreate = kubectl.run("apply", "--dry-run=server", "-f", manifest.toString());
    Kubectl.Result absent = kubectl.run("-n", ns, "get", "ie", "dry");
    kubectl.run("apply", "-f", manifest.toString());
    Kubectl.Result dryDelete = kubectl.run("-n", ns, "delete", "ie", "dry", "--dry-run=server");
    Kubectl.Result present = kubectl.run("-n", ns, "get", "ie", "dry");

    assertThat(dryCreate.out())
        .contains("inferenceendpoint.dormouse.io/dry created (server dry run)");
    assertThat(absent.exitCode()).isNotZero();
    assertThat(absent.out())
        .contains("Error from server (NotFound): inferenceendpoints.dormouse.io \"dry\" not found");
    assertThat(dryDelete.out()).contains("\"dry\" deleted (server dry run)");
    assertThat(present.exitCode()).as(present.out()).isZero();
  }

  @Test
  void createOfAnExistingObjectIsAlreadyExistsAndNamesIt() throws Exception {
    String ns = namespace();
    Path manifest = file("twice.yaml", ENDPOINT.formatted("llama", ns, 1));

    kubectl.run("create", "-f", manifest.toString());
    Kubectl.Result again = kubectl.run("create", "-f", manifest.toString());

    assertThat(again.exitCode()).isNotZero();
    assertThat(again.out())
        .contains(
            "Error from server (AlreadyExists): error when creating \""
                + manifest
                + "\": inferenceendpoints.dormouse.io \"llama\" already exists");
  }

  @Test
  void anObjectInANamespaceThatDoesNotExistIsRefused() throws Exception {
    Kubectl.Result refused =
        kubectl.run(
            "apply", "-f", file("nowhere.yaml", ENDPOINT.formatted("x", "nowhere", 1)).toString());

    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.out())
        .contains("Error from server (NotFound)")
        .contains("namespaces \"nowhere\" not found");
    assertThat(client.namespaces().withName("nowhere").get()).isNull();
  }

  @Test
  void podsAndDeploymentsPrintAndDescribeAsOnACluster() throws Exception {
    String ns = namespace();
    kubectl.run("apply", "-f", file("engine.yaml", engine("engine", ns, "", "")).toString());
    await().atMost(BOUND).until(() -> kubectl.run("-n", ns, "get", "pods").out().contains("1/1"));

    Kubectl.Result pods = kubectl.run("-n", ns, "get", "pods");
    Kubectl.Result wide = kubectl.run("-n", ns, "get", "pods", "-o", "wide");
    Kubectl.Result deployments = kubectl.run("-n", ns, "get", "deploy");
    String pod = kubectl.run("-n", ns, "get", "pods", "-o", "name").out().strip();
    Kubectl.Result describePod = kubectl.run("-n", ns, "describe", pod);
    Kubectl.Result describeDeploy = kubectl.run("-n", ns, "describe", "deploy", "engine");
    String node = kubectl.run("-n", ns, "get", pod, "-o", "jsonpath={.spec.nodeName}").out();
    Kubectl.Result describeNode = kubectl.run("describe", "node", node);

    assertThat(header(pods)).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
    assertThat(pods.out()).containsPattern("engine-\\S+\\s+1/1\\s+Running\\s+0\\s+\\d+s");
    assertThat(header(wide)).contains("IP", "NODE");
    assertThat(header(deployments))
        .containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
    assertThat(deployments.out()).containsPattern("engine\\s+1/1\\s+1\\s+1\\s+\\d+s");
    assertThat(describePod.exitCode()).as(describePod.out()).isZero();
    assertThat(describePod.out()).contains("Status:").contains("Running").contains("Scheduled");
    assertThat(describeDeploy.exitCode()).as(describeDeploy.out()).isZero();
    assertThat(describeDeploy.out()).contains("Replicas:");
    assertThat(describeNode.exitCode()).as(describeNode.out()).isZero();
    // describe node lists its pods by field selector (spec.nodeName, status.phase).
    assertThat(describeNode.out()).contains("Non-terminated Pods").contains(pod.substring(4));
  }

  @Test
  void logsAreTheEnginesOwnAndUnknownPathsAreNotFound() throws Exception {
    String ns = namespace();
    kubectl.run("apply", "-f", file("engine.yaml", engine("engine", ns, "", "")).toString());
    await().atMost(BOUND).until(() -> kubectl.run("-n", ns, "get", "pods").out().contains("1/1"));
    String pod = kubectl.run("-n", ns, "get", "pods", "-o", "name").out().strip();

    Kubectl.Result logs = kubectl.run("-n", ns, "logs", pod);
    Kubectl.Result tail = kubectl.run("-n", ns, "logs", pod, "--tail=1");
    Kubectl.Result unknownSubresource =
        kubectl.run("get", "--raw", "/api/v1/namespaces/" + ns + "/" + pod + "/nonsense");
    Kubectl.Result unknownPath = kubectl.run("get", "--raw", "/api/v1/nonsense");

    assertThat(logs.exitCode()).as(logs.out()).isZero();
    assertThat(logs.out())
        .contains("Loading model weights")
        .contains("Application startup complete.")
        .doesNotContain("\"kind\"")
        .doesNotContain("Secret");
    assertThat(logs.out().length()).isLessThan(4_000);
    assertThat(tail.out().strip().lines()).hasSize(1);
    assertThat(unknownSubresource.exitCode()).isNotZero();
    assertThat(unknownSubresource.out())
        .contains("Error from server (NotFound): the server could not find the requested resource");
    assertThat(unknownPath.out()).contains("(NotFound)");
  }

  @Test
  void aPodNeedingAMissingSecretKeyEndsInCreateContainerConfigError() throws Exception {
    String ns = namespace();
    String env =
        "        - name: HF_TOKEN\n"
            + "          valueFrom: {secretKeyRef: {name: huggingface, key: token}}";
    kubectl.run("apply", "-f", file("secret-env.yaml", engine("engine", ns, env, "")).toString());

    await()
        .atMost(BOUND)
        .until(
            () ->
                kubectl.run("-n", ns, "get", "pods").out().contains("CreateContainerConfigError"));
    String pod = kubectl.run("-n", ns, "get", "pods", "-o", "name").out().strip();
    Kubectl.Result described = kubectl.run("-n", ns, "describe", pod);
    Kubectl.Result logs = kubectl.run("-n", ns, "logs", pod);
    kubectl.run("-n", ns, "create", "secret", "generic", "huggingface", "--from-literal=other=x");
    await()
        .atMost(BOUND)
        .until(
            () ->
                kubectl
                    .run("-n", ns, "describe", pod)
                    .out()
                    .contains("couldn't find key token in Secret " + ns + "/huggingface"));
    kubectl.run("-n", ns, "delete", "secret", "huggingface");
    kubectl.run("-n", ns, "create", "secret", "generic", "huggingface", "--from-literal=token=t");

    assertThat(described.out()).contains("secret \"huggingface\" not found");
    assertThat(logs.exitCode()).isNotZero();
    assertThat(logs.out()).contains("is waiting to start: CreateContainerConfigError");
    await().atMost(BOUND).until(() -> kubectl.run("-n", ns, "get", "pods").out().contains("1/1"));
  }

  @Test
  void aPodWhoseClaimDoesNotExistStaysPending() throws Exception {
    String ns = namespace();
    String mount = "        volumeMounts: [{name: cache, mountPath: /models}]";
    String volume =
        "      volumes:\n      - name: cache\n        persistentVolumeClaim: {claimName: model-cache}";
    kubectl.run("apply", "-f", file("claim.yaml", engine("engine", ns, mount, volume)).toString());

    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(kubectl.run("-n", ns, "describe", "pods").out())
                    .contains("persistentvolumeclaim \"model-cache\" not found"));
    Kubectl.Result pods = kubectl.run("-n", ns, "get", "pods");
    String claim =
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: model-cache, namespace: %s}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 10Gi}}
        """
            .formatted(ns);
    kubectl.run("apply", "-f", file("pvc.yaml", claim).toString());

    assertThat(pods.out()).containsPattern("engine-\\S+\\s+0/1\\s+Pending");
    await().atMost(BOUND).until(() -> kubectl.run("-n", ns, "get", "pods").out().contains("1/1"));
    assertThat(kubectl.run("-n", ns, "get", "pvc").out())
        .containsPattern("model-cache\\s+Bound\\s+pvc-\\S+\\s+10Gi\\s+RWO");
  }

  /** The column names of a kubectl table, from its first line. */
  private static List<String> header(Kubectl.Result result) {
    return List.of(result.out().lines().findFirst().orElse("").trim().split("\\s+"));
  }
}
