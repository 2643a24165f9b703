package io.dormouse.sim.engine;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/** The engine's Prometheus page, under vLLM's metric names. */
final class EngineMetrics {

  private final String labels;
  private final IntSupplier running;
  private final IntSupplier waiting;
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong generationTokens = new AtomicLong();
  private final AtomicLong succeeded = new AtomicLong();

  EngineMetrics(String modelName, IntSupplier running, IntSupplier waiting) {
    this.labels = "{engine=\"0\",model_name=\"" + modelName.replace("\"", "\\\"") + "\"}";
    this.running = running;
    this.waiting = waiting;
  }

  void promptTokens(int n) {
    promptTokens.addAndGet(n);
  }

  void generationTokens(int n) {
    generationTokens.addAndGet(n);
  }

  void succeeded() {
    succeeded.incrementAndGet();
  }

  long generationTokens() {
    return generationTokens.get();
  }

  String render() {
    StringBuilder out = new StringBuilder();
    metric(out, "num_requests_running", "gauge", "Number of requests in model execution batches.");
    sample(out, "num_requests_running", running.getAsInt());
    metric(out, "num_requests_waiting", "gauge", "Number of requests waiting to be processed.");
    sample(out, "num_requests_waiting", waiting.getAsInt());
    metric(out, "prompt_tokens_total", "counter", "Number of prefill tokens processed.");
    sample(out, "prompt_tokens_total", promptTokens.get());
    metric(out, "generation_tokens_total", "counter", "Number of generation tokens processed.");
    sample(out, "generation_tokens_total", generationTokens.get());
    metric(out, "request_success_total", "counter", "Count of successfully processed requests.");
    sample(out, "request_success_total", succeeded.get());
    return out.toString();
  }

  private static void metric(StringBuilder out, String name, String type, String help) {
    out.append("# HELP vllm:").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE vllm:").append(name).append(' ').append(type).append('\n');
  }

  private void sample(StringBuilder out, String name, double value) {
    out.append("vllm:")
        .append(name)
        .append(labels)
        .append(' ')
        .append(String.format(Locale.ROOT, "%.1f", value))
        .append('\n');
  }
}
