package io.dormouse.bench.matrix;

import java.net.URI;

/**
 * Where one target takes the load.
 *
 * @param url the chat completions URL for the zero-think-time engine behind it
 * @param pacedUrl the same for the paced engine
 * @param pid the process whose CPU and memory are sampled (the engine for direct)
 * @param apiKey bearer key to send, or null
 */
public record Endpoint(
    URI url, URI pacedUrl, String model, String pacedModel, long pid, String apiKey) {}
