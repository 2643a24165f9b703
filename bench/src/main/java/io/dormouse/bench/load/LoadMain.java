package io.dormouse.bench.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The load generator as its own process, so its CPU is not the target's: runs one load and prints
 * one JSON line ({@link LoadResult}) on stdout.
 */
@Command(
    name = "dormouse-load",
    mixinStandardHelpOptions = true,
    description = "Sends chat completions at fixed concurrency or rate; prints a JSON result.")
public final class LoadMain implements Callable<Integer> {

  @Option(
      names = "--url",
      required = true,
      description = "e.g. http://127.0.0.1:8000/v1/chat/completions")
  URI url;

  @Option(names = "--label", defaultValue = "target")
  String label;

  @Option(names = "--model", defaultValue = "bench")
  String model;

  @Option(names = "--api-key", description = "Sent as a bearer token when set.")
  String apiKey;

  @Option(names = "--body-bytes", defaultValue = "1024", description = "Size of the request body.")
  int bodyBytes;

  @Option(names = "--stream", description = "Stream the response (SSE).")
  boolean stream;

  @Option(names = "--max-tokens", defaultValue = "64", description = "Completion tokens asked for.")
  int maxTokens;

  @Option(
      names = "--ignore-eos",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Send vLLM's ignore_eos, so every answer is max-tokens long (default);"
              + " --no-ignore-eos for servers that refuse it.")
  boolean ignoreEos;

  @Option(names = "--concurrency", defaultValue = "1")
  int concurrency;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "Requests/s for an open loop; 0 = closed loop.")
  double rate;

  @Option(names = "--warmup", defaultValue = "PT2S", description = "ISO-8601 duration.")
  Duration warmup;

  @Option(names = "--duration", defaultValue = "PT5S", description = "ISO-8601 duration.")
  Duration duration;

  @Option(names = "--max-requests", defaultValue = "1000000")
  long maxRequests;

  @Option(names = "--timeout", defaultValue = "PT30S")
  Duration timeout;

  @Option(
      names = "--watch-pid",
      defaultValue = "0",
      description = "Sample this process's CPU and RSS.")
  long watchPid;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    if (apiKey != null) {
      headers.put("authorization", "Bearer " + apiKey);
    }
    LoadSpec spec =
        new LoadSpec(
            label,
            url,
            new ChatRequest(model, bodyBytes, stream, maxTokens, ignoreEos)
                .json()
                .getBytes(StandardCharsets.UTF_8),
            headers,
            stream,
            concurrency,
            rate,
            warmup,
            duration,
            maxRequests,
            timeout,
            watchPid);
    System.out.println(new LoadRun(spec).run().toJson());
    return 0;
  }
}
