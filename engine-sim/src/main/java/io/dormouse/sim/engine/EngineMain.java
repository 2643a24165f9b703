package io.dormouse.sim.engine;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * Runs one engine simulator until interrupted. Takes vLLM's own arguments ({@code --model}, {@code
 * --port}, ...) and the sim's knobs, as options or as the {@code DORMOUSE_SIM_*} environment
 * variables.
 */
@Command(
    name = "engine-sim",
    mixinStandardHelpOptions = true,
    description = "A vLLM-compatible engine simulator (OpenAI API, no GPU).")
public final class EngineMain implements Callable<Integer> {

  @Option(names = "--startup", description = "Model load time, e.g. 5s (env DORMOUSE_SIM_STARTUP)")
  String startup;

  @Option(names = "--ttft", description = "Time to first token, e.g. 200ms (env DORMOUSE_SIM_TTFT)")
  String ttft;

  @Option(
      names = "--tps",
      description = "Tokens per second per sequence, 0 = no think time (env DORMOUSE_SIM_TPS)")
  String tps;

  @Option(names = "--fault", description = "none, crash, hang, 5xx or oom (env DORMOUSE_SIM_FAULT)")
  String fault;

  @Option(
      names = "--fault-after-tokens",
      description = "With crash: tokens streamed before the engine dies")
  String faultAfterTokens;

  @Option(names = "--default-max-tokens", description = "Completion length cap without max_tokens")
  String maxTokens;

  @Unmatched List<String> vllmArgs = new ArrayList<>();

  /** The engine the options describe; options win over the environment. */
  EngineConfig config(Map<String, String> environment) {
    Map<String, String> env = new HashMap<>(environment);
    put(env, VllmArgs.ENV_STARTUP, startup);
    put(env, VllmArgs.ENV_TTFT, ttft);
    put(env, VllmArgs.ENV_TPS, tps);
    put(env, VllmArgs.ENV_FAULT, fault);
    put(env, VllmArgs.ENV_FAULT_AFTER_TOKENS, faultAfterTokens);
    put(env, VllmArgs.ENV_MAX_TOKENS, maxTokens);
    return VllmArgs.apply(EngineConfig.builder().host("0.0.0.0"), vllmArgs, env).build();
  }

  @Override
  public Integer call() throws InterruptedException {
    EngineConfig config = config(System.getenv());
    Vertx vertx = Vertx.vertx();
    CountDownLatch stopped = new CountDownLatch(1);
    EngineSimulator engine;
    try {
      engine =
          EngineSimulator.start(vertx, config).toCompletionStage().toCompletableFuture().join();
    } catch (RuntimeException e) {
      System.err.println("engine-sim: " + e.getMessage());
      vertx.close();
      return 1;
    }
    engine.stopped().onComplete(v -> stopped.countDown());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  engine.shutdown(Duration.ofSeconds(5));
                  try {
                    stopped.await(6, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  vertx.close();
                }));
    System.out.println(
        "engine-sim serving "
            + config.modelNames()
            + " at http://"
            + config.host()
            + ":"
            + engine.port());
    stopped.await();
    vertx.close();
    return engine.state() == EngineSimulator.State.CRASHED ? 1 : 0;
  }

  private static void put(Map<String, String> env, String key, String value) {
    if (value != null) {
      env.put(key, value);
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new EngineMain()).execute(args));
  }
}
