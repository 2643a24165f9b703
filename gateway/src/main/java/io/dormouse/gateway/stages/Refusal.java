package io.dormouse.gateway.stages;

import java.util.Map;

/**
 * A stage's refusal of a request: the error to answer with, the headers that go with it, and
 * whether the connection must close after the answer (the request body was not read). Stages fail
 * the routing context with it; {@link ErrorReply} answers it.
 */
public final class Refusal extends RuntimeException {

  private final OpenAiError error;
  private final Map<String, String> headers;
  private final boolean closeAfter;

  public Refusal(OpenAiError error, Map<String, String> headers, boolean closeAfter) {
    super(error.message(), null, false, false);
    this.error = error;
    this.headers = Map.copyOf(headers);
    this.closeAfter = closeAfter;
  }

  public Refusal(OpenAiError error) {
    this(error, Map.of(), false);
  }

  public OpenAiError error() {
    return error;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public boolean closeAfter() {
    return closeAfter;
  }
}
