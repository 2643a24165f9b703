package io.dormouse.sim.engine;

import io.dormouse.api.duration.GoDuration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an engine container the way vLLM would: its command-line arguments ({@code --model}, {@code
 * --served-model-name}, {@code --tensor-parallel-size}, {@code --port}, ...; anything else vLLM
 * knows is accepted and ignored) and the sim's own knobs from the environment, so that a pod spec
 * maps to an engine config.
 */
public final class VllmArgs {

  /** Model load time, a duration such as {@code 2s}. */
  public static final String ENV_STARTUP = "DORMOUSE_SIM_STARTUP";

  /** Time to first token, a duration. */
  public static final String ENV_TTFT = "DORMOUSE_SIM_TTFT";

  /** Tokens per second per sequence; 0 = as fast as possible. */
  public static final String ENV_TPS = "DORMOUSE_SIM_TPS";

  /** {@code none}, {@code crash}, {@code hang}, {@code 5xx} or {@code oom}. */
  public static final String ENV_FAULT = "DORMOUSE_SIM_FAULT";

  /** With the crash fault: tokens streamed before the engine dies. */
  public static final String ENV_FAULT_AFTER_TOKENS = "DORMOUSE_SIM_FAULT_AFTER_TOKENS";

  /** Maximum concurrent sequences, as vLLM's {@code --max-num-seqs}. */
  public static final String ENV_MAX_SEQS = "DORMOUSE_SIM_MAX_SEQS";

  /** Default completion length when a request sets no max_tokens. */
  public static final String ENV_MAX_TOKENS = "DORMOUSE_SIM_MAX_TOKENS";

  private VllmArgs() {}

  /**
   * Applies {@code command + args} of an engine container and its environment to a builder that
   * holds the defaults. Unknown options are skipped along with their value, if they have one.
   */
  public static EngineConfig.Builder apply(
      EngineConfig.Builder builder, List<String> args, Map<String, String> env) {
    List<String> tokens = split(args);
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (!token.startsWith("-")) {
        positional.add(token);
        continue;
      }
      String option = token;
      List<String> values = new ArrayList<>();
      int eq = token.indexOf('=');
      if (eq > 0) {
        option = token.substring(0, eq);
        values.add(token.substring(eq + 1));
      } else {
        while (i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("-")) {
          values.add(tokens.get(++i));
          if (!option.equals("--served-model-name")) {
            break;
          }
        }
      }
      applyOption(builder, option, values);
    }
    // `vllm serve MODEL` and the image's entrypoint both take the model as a positional argument.
    positional.stream()
        .filter(p -> !List.of("vllm", "serve", "python", "python3").contains(p))
        .filter(p -> !p.endsWith("vllm.entrypoints.openai.api_server"))
        .findFirst()
        .ifPresent(builder::model);
    applyEnv(builder, env);
    return builder;
  }

  private static List<String> split(List<String> args) {
    List<String> tokens = new ArrayList<>();
    for (String arg : args) {
      if (arg == null) {
        continue;
      }
      for (String t : arg.trim().split("\\s+")) {
        if (!t.isEmpty()) {
          tokens.add(t);
        }
      }
    }
    return tokens;
  }

  private static void applyOption(EngineConfig.Builder b, String option, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    String v = values.get(0);
    switch (option) {
      case "--model" -> b.model(v);
      case "--served-model-name" -> b.servedModelNames(List.copyOf(values));
      case "--tensor-parallel-size", "-tp" -> b.tensorParallelSize(Integer.parseInt(v));
      case "--port" -> b.port(Integer.parseInt(v));
      case "--host" -> b.host(v);
      case "--max-num-seqs" -> b.maxNumSeqs(Integer.parseInt(v));
      case "--max-model-len" -> b.maxModelLen(Integer.parseInt(v));
      case "--seed" -> b.seed(Long.parseLong(v));
      default -> {
        // vLLM has hundreds of options; the simulator plays only the ones above.
      }
    }
  }

  private static void applyEnv(EngineConfig.Builder b, Map<String, String> env) {
    ifSet(env, ENV_STARTUP, v -> b.startup(GoDuration.parse(v)));
    ifSet(env, ENV_TTFT, v -> b.timeToFirstToken(GoDuration.parse(v)));
    ifSet(env, ENV_TPS, v -> b.tokensPerSecond(Double.parseDouble(v)));
    ifSet(env, ENV_FAULT, v -> b.fault(EngineFault.parse(v)));
    ifSet(env, ENV_FAULT_AFTER_TOKENS, v -> b.faultAfterTokens(Integer.parseInt(v)));
    ifSet(env, ENV_MAX_SEQS, v -> b.maxNumSeqs(Integer.parseInt(v)));
    ifSet(env, ENV_MAX_TOKENS, v -> b.defaultMaxTokens(Integer.parseInt(v)));
  }

  private static void ifSet(
      Map<String, String> env, String key, java.util.function.Consumer<String> apply) {
    String value = env.get(key);
    if (value != null && !value.isBlank()) {
      apply.accept(value.trim());
    }
  }
}
