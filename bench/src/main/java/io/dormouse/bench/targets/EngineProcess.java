package io.dormouse.bench.targets;

import io.dormouse.sim.engine.EngineMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The sim's engine simulator in its own process, with no load time and no time to first token; with
 * {@code tokensPerSecond} 0, no time between tokens either.
 */
public final class EngineProcess implements AutoCloseable {

  private final ChildProcess process;
  private final int port;
  private final String model;

  private EngineProcess(ChildProcess process, int port, String model) {
    this.process = process;
    this.port = port;
    this.model = model;
  }

  /**
   * @param aliases further model names the engine answers to (the endpoints of the wake benchmark,
   *     whose requests reach this same engine)
   */
  public static EngineProcess start(
      String model, List<String> aliases, double tokensPerSecond, Path logDir) throws Exception {
    int port = Ports.free();
    ChildProcess child =
        ChildProcess.start(
            "engine-" + model,
            ChildProcess.java(
                EngineMain.class.getName(),
                List.of("-Xmx512m"),
                args(model, aliases, tokensPerSecond, port)),
            Map.of(),
            logDir);
    EngineProcess engine = new EngineProcess(child, port, model);
    child.awaitLine(l -> l.startsWith("engine-sim serving"), Duration.ofSeconds(60));
    engine.awaitHealthy(Duration.ofSeconds(30));
    return engine;
  }

  private static List<String> args(
      String model, List<String> aliases, double tokensPerSecond, int port) {
    List<String> args = new java.util.ArrayList<>();
    args.addAll(
        List.of(
            "--model", model,
            "--host", "127.0.0.1",
            "--port", String.valueOf(port),
            "--max-num-seqs", "4096",
            "--startup", "0s",
            "--ttft", "0s",
            "--tps", String.valueOf(tokensPerSecond)));
    args.add("--served-model-name");
    args.add(model);
    args.addAll(aliases);
    return args;
  }

  private void awaitHealthy(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/health")).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(process.name() + " not healthy within " + timeout);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public URI chatUrl() {
    return URI.create(baseUrl() + "/v1/chat/completions");
  }

  public int port() {
    return port;
  }

  public String model() {
    return model;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.close();
  }
}
