package io.dormouse.sim.engine;

import java.time.Duration;
import java.util.List;

/**
 * How one simulated vLLM engine behaves: what it serves, where it listens, how fast it loads and
 * generates, and which fault it plays.
 *
 * @param name names the engine in log lines (the pod name in the simulated cluster)
 * @param tokensPerSecond generation speed per sequence; 0 = no think time at all
 * @param faultAfterTokens with {@link EngineFault#CRASH}: tokens streamed before the crash
 * @param seed used when a request carries no seed of its own
 */
public record EngineConfig(
    String name,
    String host,
    int port,
    String model,
    List<String> servedModelNames,
    int tensorParallelSize,
    int maxModelLen,
    int maxNumSeqs,
    Duration startup,
    Duration timeToFirstToken,
    double tokensPerSecond,
    EngineFault fault,
    int faultAfterTokens,
    long seed,
    int defaultMaxTokens) {

  public EngineConfig {
    servedModelNames = List.copyOf(servedModelNames);
    if (maxNumSeqs < 1) {
      throw new IllegalArgumentException("max-num-seqs must be at least 1");
    }
    if (tokensPerSecond < 0) {
      throw new IllegalArgumentException("tokens per second must not be negative");
    }
  }

  /** The names clients may send as {@code model}: the served names, or else the model itself. */
  public List<String> modelNames() {
    return servedModelNames.isEmpty() ? List.of(model) : servedModelNames;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .name(name)
        .host(host)
        .port(port)
        .model(model)
        .servedModelNames(servedModelNames)
        .tensorParallelSize(tensorParallelSize)
        .maxModelLen(maxModelLen)
        .maxNumSeqs(maxNumSeqs)
        .startup(startup)
        .timeToFirstToken(timeToFirstToken)
        .tokensPerSecond(tokensPerSecond)
        .fault(fault)
        .faultAfterTokens(faultAfterTokens)
        .seed(seed)
        .defaultMaxTokens(defaultMaxTokens);
  }

  /** Defaults: a fast, healthy engine on 127.0.0.1:8000. */
  public static final class Builder {
    private String name = "engine";
    private String host = "127.0.0.1";
    private int port = 8000;
    private String model = "facebook/opt-125m";
    private List<String> servedModelNames = List.of();
    private int tensorParallelSize = 1;
    private int maxModelLen = 4096;
    private int maxNumSeqs = 256;
    private Duration startup = Duration.ZERO;
    private Duration timeToFirstToken = Duration.ZERO;
    private double tokensPerSecond = 0;
    private EngineFault fault = EngineFault.NONE;
    private int faultAfterTokens = 3;
    private long seed = 0;
    private int defaultMaxTokens = 32;

    public Builder name(String v) {
      name = v;
      return this;
    }

    public Builder host(String v) {
      host = v;
      return this;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder model(String v) {
      model = v;
      return this;
    }

    public Builder servedModelNames(List<String> v) {
      servedModelNames = v;
      return this;
    }

    public Builder tensorParallelSize(int v) {
      tensorParallelSize = v;
      return this;
    }

    public Builder maxModelLen(int v) {
      maxModelLen = v;
      return this;
    }

    public Builder maxNumSeqs(int v) {
      maxNumSeqs = v;
      return this;
    }

    public Builder startup(Duration v) {
      startup = v;
      return this;
    }

    public Builder timeToFirstToken(Duration v) {
      timeToFirstToken = v;
      return this;
    }

    public Builder tokensPerSecond(double v) {
      tokensPerSecond = v;
      return this;
    }

    public Builder fault(EngineFault v) {
      fault = v;
      return this;
    }

    public Builder faultAfterTokens(int v) {
      faultAfterTokens = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder defaultMaxTokens(int v) {
      defaultMaxTokens = v;
      return this;
    }

    public EngineConfig build() {
      return new EngineConfig(
          name,
          host,
          port,
          model,
          servedModelNames,
          tensorParallelSize,
          maxModelLen,
          maxNumSeqs,
          startup,
          timeToFirstToken,
          tokensPerSecond,
          fault,
          faultAfterTokens,
          seed,
          defaultMaxTokens);
    }
  }
}
