package io.dormouse.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EngineMainTest {

  @Test
  void takesVllmArgumentsAndSimKnobsWithOptionsOverTheEnvironment() {
    EngineMain main = new EngineMain();
    new CommandLine(main)
        .parseArgs(
            "--model",
            "m",
            "--host",
            "127.0.0.1",
            "--port",
            "9001",
            "--max-num-seqs",
            "4096",
            "--startup",
            "0s",
            "--tps",
            "50",
            "--served-model-name",
            "a",
            "b",
            "--enforce-eager");

    EngineConfig config =
        main.config(Map.of("DORMOUSE_SIM_TPS", "5", "DORMOUSE_SIM_TTFT", "200ms"));

    assertThat(config.model()).isEqualTo("m");
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(9001);
    assertThat(config.maxNumSeqs()).isEqualTo(4096);
    assertThat(config.modelNames()).isEqualTo(List.of("a", "b"));
    assertThat(config.startup()).isEqualTo(Duration.ZERO);
    assertThat(config.tokensPerSecond()).isEqualTo(50);
    assertThat(config.timeToFirstToken()).isEqualTo(Duration.ofMillis(200));
  }
}
