package io.dormouse.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What an engine's last log lines (its termination message) say about why it exited. */
class EngineExitTest {

  static Stream<Arguments> exits() {
    return Stream.of(
        Arguments.of(
            "vLLM's CUDA out of memory at load",
            "Error",
            "INFO Loading model weights...\nERROR EngineCore failed to start.\n"
                + "ERROR torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.",
            "OutOfMemory",
            "ERROR torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB."),
        Arguments.of(
            "no memory left for the KV cache",
            "Error",
            "ValueError: No available memory for the cache blocks. Try increasing"
                + " `gpu_memory_utilization`",
            "OutOfMemory",
            null),
        Arguments.of("killed by the kernel's OOM killer", "OOMKilled", null, "OutOfMemory", null),
        Arguments.of(
            "the engine core died",
            "Error",
            "INFO Loading model\nERROR Engine process died unexpectedly\nINFO Shutting down",
            "EngineFatal",
            "ERROR Engine process died unexpectedly"),
        Arguments.of(
            "a Python traceback",
            "Error",
            "Traceback (most recent call last):\n  File \"x.py\"\nRuntimeError: bad model config",
            "EngineFatal",
            "RuntimeError: bad model config"),
        Arguments.of("a plain exit", "Error", "INFO Shutting down", null, "INFO Shutting down"),
        Arguments.of("no message", "Error", null, null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exits")
  void classifies(String name, String reason, String message, String kind, String cause) {
    assertThat(EngineExit.classify(reason, message)).isEqualTo(kind);
    if (cause != null) {
      assertThat(EngineExit.cause(message)).isEqualTo(cause);
    }
  }
}
