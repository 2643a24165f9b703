package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dormouse.sim.apiserver.Kubectl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * docs/quick-start.md and examples/, followed as a newcomer follows them: the sim's run command
 * (SimMain, as {@code mvn exec:java} runs it), the values it prints, the installed kubectl with its
 * kubeconfig, the commands and manifests the docs give, read from the docs themselves. Each step
 * reaches the phase the docs promise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuickStartInTheSimTest {

  private static final Duration BOUND = Duration.ofSeconds(90);
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path QUICK_START = REPO.resolve("docs/quick-start.md");

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private SimMain sim;
  private Thread running;
  private String gateway;
  private String key;
  private Path kubeconfig;
  private Kubectl kubectl;
  @TempDir Path dir;

  @BeforeAll
  void startTheSim(@TempDir Path work) {
    assumeTrue(Kubectl.installed(), "kubectl is not installed on this machine: test skipped");
    sim = new SimMain(new PrintStream(printed, true, StandardCharsets.UTF_8));
    running =
        new Thread(
            () ->
                new CommandLine(sim)
                    .execute("--work-dir", work.toString(), "--startup", "1s", "--tps", "200"));
    running.start();
    await().atMost(BOUND).until(() -> printed().contains("answered in"));
    gateway = value("gateway");
    key = value("API key");
    kubeconfig = Path.of(value("kubeconfig"));
    kubectl = new Kubectl(kubeconfig);
  }

  @AfterAll
  void stopTheSim() throws InterruptedException {
    if (sim != null) {
      sim.stop();
      running.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  @Test
  void theRunCommandShowsItsProgressAndEverythingItStarted() throws Exception {
    String out = printed();

    assertThat(out.lines().findFirst().orElse(""))
        .startsWith("Starting the Dormouse sim: cluster, ledger, operator, gateway,")
        .containsPattern("up in \\d+\\.\\d s");
    assertThat(out).doesNotContain("\u001b[");
    assertThat(gateway).startsWith("http://127.0.0.1:");
    assertThat(key).matches("dm-[0-9a-z]{39}");
    for (String part : List.of("api server", "operator", "gateway mgmt")) {
      assertThat(value(part)).startsWith("http://127.0.0.1:");
    }
    assertThat(get(value("operator")).body()).contains("dormouse_");
    assertThat(get(value("gateway mgmt")).statusCode()).isEqualTo(200);
    assertThat(out)
        .contains("first token after")
        .containsPattern("endpoint default/llama: \\S+ -> Ready on spot");
  }

  @Test
  void theLedgerHoldsTheColdRequestAndThePrintedUsageCommandRuns() throws Exception {
    String psql = value("ledger");
    assertThat(psql).startsWith("postgresql://postgres@localhost:");
    String jdbc = "jdbc:" + psql.replace("postgres@", "");
    await()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              try (var c = java.sql.DriverManager.getConnection(jdbc, "postgres", "");
                  var rs =
                      c.createStatement()
                          .executeQuery(
                              "SELECT count(*) FROM usage u JOIN route r ON r.id = u.route_id"
                                  + " WHERE r.endpoint = 'llama' AND u.project = 'demo'"
                                  + " AND u.streamed AND u.status = 200")) {
                rs.next();
                assertThat(rs.getLong(1)).isGreaterThanOrEqualTo(1);
              }
            });

    Matcher line = Pattern.compile("(?m)^  java -jar \\S+ (usage .*)$").matcher(printed());
    assertThat(line.find()).as("the printed dormouse usage line:%n%s", printed()).isTrue();
    java.io.StringWriter report = new java.io.StringWriter();
    CommandLine cli = io.dormouse.cli.DormouseMain.commandLine();
    cli.setOut(new java.io.PrintWriter(report));
    int exit = cli.execute(line.group(1).trim().split(" "));
    assertThat(exit).as(report.toString()).isZero();
  }

  @Test
  void sectionOneAsWritten() throws Exception {
    Kubectl.Result listed = kubectl.run("get", "ie");
    Kubectl.Result described = kubectl.run("describe", "ie", "llama");
    HttpResponse<String> answered = chat(key, "llama");
    HttpResponse<String> wrongKey = chat("dm-wrong", "llama");

    assertThat(listed.out())
        .containsPattern("llama\\s+llama\\s+meta-llama/Meta-Llama-3-8B-Instruct");
    assertThat(described.out()).contains("Events:").doesNotContain("Events:  <none>");
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    assertThat(answered.body()).contains("chat.completion");
    assertThat(wrongKey.statusCode()).isEqualTo(401);
  }

  @Test
  void yourOwnEndpointFromTheExamplesWakesForItsProject() throws Exception {
    String doc = Files.readString(QUICK_START).replaceAll("\\s+", " ");
    Matcher apply = Pattern.compile("kubectl apply ((?:-f examples/[\\w.-]+ ?)+)").matcher(doc);
    assertThat(apply.find()).as("the quick start's kubectl apply of the examples").isTrue();
    List<String> args = new ArrayList<>(List.of("apply"));
    for (String part : apply.group(1).trim().split(" ")) {
      args.add(part.startsWith("examples/") ? REPO.resolve(part).toString() : part);
    }

    Kubectl.Result applied = kubectl.run(args.toArray(String[]::new));
    assertThat(applied.exitCode()).as(applied.out()).isZero();
    try (Kubectl.Running watch = kubectl.start(dir.resolve("watch"), "get", "ie", "-A", "-w")) {
      await()
          .atMost(BOUND)
          .until(() -> watch.out().contains("llama3-8b") && watch.out().contains("Hibernated"));
      String search = mintKey("search");
      HttpResponse<String> answered = chat(search, "llama3-8b");

      assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
      await()
          .atMost(BOUND)
          .untilAsserted(
              () ->
                  assertThat(watch.out())
                      .containsPattern("ml-serving\\s+llama3-8b\\s+llama3-8b\\s+\\S+\\s+Waking")
                      .containsPattern("ml-serving\\s+llama3-8b\\s+llama3-8b\\s+\\S+\\s+Ready"));
    }
  }

  @Test
  void spotThenOnDemandStartsOnceItsSecretExists() throws Exception {
    applyExamples("00-namespace.yaml", "gpu-tiers.yaml");
    // The file's own steps: the Secret first, then the endpoint.
    String steps = Files.readString(REPO.resolve("examples/spot-then-on-demand.yaml"));
    assertThat(steps)
        .contains("kubectl -n ml-serving create secret generic huggingface --from-literal=token=");
    kubectl.run(
        "-n",
        "ml-serving",
        "create",
        "secret",
        "generic",
        "huggingface",
        "--from-literal=token=hf_test");
    applyExamples("spot-then-on-demand.yaml");
    await().atMost(BOUND).until(() -> phase("ml-serving", "llama31-8b-chat").equals("Hibernated"));

    HttpResponse<String> answered = chat(mintKey("support-bot"), "llama-3.1-8b-instruct");

    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(kubectl.run("-n", "ml-serving", "get", "ie", "llama31-8b-chat").out())
                    .containsPattern("Ready\\s+spot-a100\\s+2"));
  }

  @Test
  void theAlwaysOnPresetWithItsCacheIsReadyWithoutARequest() throws Exception {
    applyExamples("00-namespace.yaml", "gpu-tiers.yaml", "always-on-preset-with-cache.yaml");

    await().atMost(BOUND).until(() -> phase("ml-serving", "support-assistant").equals("Ready"));
    assertThat(kubectl.run("-n", "ml-serving", "get", "pvc").out())
        .containsPattern("model-cache-llama31-8b\\s+Bound");
    // The preset from the chart's catalog resolved: its model runs.
    assertThat(
            kubectl
                .run(
                    "-n",
                    "ml-serving",
                    "get",
                    "deploy",
                    "support-assistant-on-demand-a100",
                    "-o",
                    "jsonpath={.spec.template.spec.containers[0].args}")
                .out())
        .contains("meta-llama/Llama-3.1-8B-Instruct");
  }

  @Test
  void theAutoscalingExampleSleepsThenWakesForItsProject() throws Exception {
    applyExamples("00-namespace.yaml", "gpu-tiers.yaml", "autoscaling-endpoint.yaml");
    await()
        .atMost(BOUND)
        .until(() -> phase("ml-serving", "llama3-8b-autoscaled").equals("Hibernated"));

    HttpResponse<String> answered = chat(mintKey("search"), "llama3-8b-autoscaled");

    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    await().atMost(BOUND).until(() -> phase("ml-serving", "llama3-8b-autoscaled").equals("Ready"));
    // The file's own read-out of the count the autoscaler wants.
    assertThat(
            kubectl
                .run(
                    "get",
                    "ie",
                    "-n",
                    "ml-serving",
                    "llama3-8b-autoscaled",
                    "-o",
                    "jsonpath={.status.desiredReplicas}")
                .out()
                .trim())
        .matches("[1-4]");
  }

  @Test
  void theWebhookExampleIsReadyOnceItsSecretIsFound() throws Exception {
    applyExamples("00-namespace.yaml", "webhook.yaml");

    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(kubectl.run("get", "wh", "-n", "ml-serving").out())
                    .containsPattern("ops-events\\s+https://hooks.example.com/dormouse\\s+True"));
  }

  @Test
  void sectionTwosEndpointIsHibernatedNotFailedAndItsDeletionShows() throws Exception {
    applyExamples("gpu-tiers.yaml");
    kubectl.run("create", "namespace", "team-a");
    String doc = Files.readString(QUICK_START);
    Matcher yaml =
        Pattern.compile("### Declare an endpoint\\s+```yaml\\n(.*?)```", Pattern.DOTALL)
            .matcher(doc);
    assertThat(yaml.find()).isTrue();
    Path manifest = Files.writeString(dir.resolve("llama-3-8b.yaml"), yaml.group(1));

    Kubectl.Result applied = kubectl.run("apply", "-f", manifest.toString());

    assertThat(applied.out()).contains("inferenceendpoint.dormouse.io/llama-3-8b created");
    await().atMost(BOUND).until(() -> phase("team-a", "llama-3-8b").equals("Hibernated"));
    assertThat(kubectl.run("-n", "team-a", "get", "ie").out())
        .containsPattern("llama-3-8b\\s+llama-3-8b\\s+Hibernated");

    kubectl.run("-n", "team-a", "delete", "ie", "llama-3-8b");
    await().atMost(BOUND).until(() -> printed().contains("endpoint team-a/llama-3-8b: deleted"));
  }

  private void applyExamples(String... files) throws Exception {
    List<String> args = new ArrayList<>(List.of("apply"));
    for (String f : files) {
      args.add("-f");
      args.add(REPO.resolve("examples").resolve(f).toString());
    }
    Kubectl.Result applied = kubectl.run(args.toArray(String[]::new));
    assertThat(applied.exitCode()).as(applied.out()).isZero();
  }

  private String phase(String ns, String name) throws Exception {
    return kubectl.run("-n", ns, "get", "ie", name, "-o", "jsonpath={.status.phase}").out();
  }

  /** A key minted as the quick start mints one: the keys command, run with the sim's kubeconfig. */
  private String mintKey(String project) throws Exception {
    ProcessBuilder keys =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.dormouse.gateway.auth.KeysMain",
                "create",
                "--project",
                project,
                "--namespace",
                "dormouse-system",
                "--apply")
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    keys.environment().put("KUBECONFIG", kubeconfig.toString());
    Process process = keys.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    List<String> lines = out.lines().toList();
    return lines.get(lines.size() - 1);
  }

  private HttpResponse<String> chat(String bearer, String model) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + bearer)
            .header("Content-Type", "application/json")
            .timeout(BOUND)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\""
                        + model
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(BOUND).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  /** A value the sim printed: the first word after its label, e.g. " gateway http://...". */
  private String value(String label) {
    Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(label) + "\\s+(\\S+)").matcher(printed());
    assertThat(m.find()).as("the sim printed its %s:%n%s", label, printed()).isTrue();
    return m.group(1);
  }
}
