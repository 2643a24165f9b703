package io.dormouse.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VllmArgsTest {

  static Stream<Arguments> containers() {
    return Stream.of(
        Arguments.of(
            List.of("--model", "meta-llama/Llama-3-8B", "--port", "8000"),
            "meta-llama/Llama-3-8B",
            List.of("meta-llama/Llama-3-8B"),
            1,
            8000),
        Arguments.of(
            List.of(
                "--model=m",
                "--served-model-name",
                "llama",
                "--tensor-parallel-size=2",
                "--port=9"),
            "m",
            List.of("llama"),
            2,
            9),
        Arguments.of(
            List.of("vllm", "serve", "org/model", "--served-model-name", "a", "b", "-tp", "4"),
            "org/model",
            List.of("a", "b"),
            4,
            8000),
        // unknown vLLM options, with or without values, are skipped
        Arguments.of(
            List.of(
                "--enforce-eager",
                "--model",
                "m",
                "--gpu-memory-utilization",
                "0.9",
                "--max-model-len=8192",
                "--disable-log-requests"),
            "m",
            List.of("m"),
            1,
            8000),
        // one string holding several arguments, as a shell line in a pod spec
        Arguments.of(List.of("--model m --port 8001"), "m", List.of("m"), 1, 8001));
  }

  @ParameterizedTest
  @MethodSource("containers")
  void mapsContainerArgumentsToTheEngine(
      List<String> args, String model, List<String> names, int tp, int port) {
    EngineConfig config = VllmArgs.apply(EngineConfig.builder(), args, Map.of()).build();

    assertThat(config.model()).isEqualTo(model);
    assertThat(config.modelNames()).isEqualTo(names);
    assertThat(config.tensorParallelSize()).isEqualTo(tp);
    assertThat(config.port()).isEqualTo(port);
  }

  @Test
  void simKnobsComeFromTheEnvironment() {
    EngineConfig config =
        VllmArgs.apply(
                EngineConfig.builder(),
                List.of("--max-num-seqs", "4"),
                Map.of(
                    "DORMOUSE_SIM_STARTUP", "1m30s",
                    "DORMOUSE_SIM_TTFT", "250ms",
                    "DORMOUSE_SIM_TPS", "42.5",
                    "DORMOUSE_SIM_FAULT", "5xx",
                    "DORMOUSE_SIM_FAULT_AFTER_TOKENS", "7",
                    "DORMOUSE_SIM_MAX_TOKENS", "5"))
            .build();

    assertThat(config.startup()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.timeToFirstToken()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.tokensPerSecond()).isEqualTo(42.5);
    assertThat(config.fault()).isEqualTo(EngineFault.ERROR);
    assertThat(config.faultAfterTokens()).isEqualTo(7);
    assertThat(config.maxNumSeqs()).isEqualTo(4);
    assertThat(config.defaultMaxTokens()).isEqualTo(5);
  }

  @Test
  void anUnknownFaultIsRefusedWithTheChoices() {
    assertThatThrownBy(
            () ->
                VllmArgs.apply(
                    EngineConfig.builder(), List.of(), Map.of("DORMOUSE_SIM_FAULT", "melt")))
        .hasMessageContaining("melt")
        .hasMessageContaining("crash");
  }
}
