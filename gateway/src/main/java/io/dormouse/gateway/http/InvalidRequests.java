package io.dormouse.gateway.http;

import io.dormouse.gateway.stages.OpenAiError;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * Requests the HTTP decoder could not parse still get an OpenAI-shaped 4xx, then the connection
 * closes.
 */
final class InvalidRequests {

  private InvalidRequests() {}

  static void answer(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    OpenAiError error;
    if (cause instanceof TooLongFrameException
        && String.valueOf(cause.getMessage()).contains("header")) {
      error =
          OpenAiError.invalidRequest(
              431, "headers_too_large", "The request headers are too large.", null);
    } else if (cause instanceof TooLongFrameException) {
      error =
          OpenAiError.invalidRequest(414, "uri_too_long", "The request line is too long.", null);
    } else {
      error =
          OpenAiError.invalidRequest(400, "bad_request", "The HTTP request is malformed.", null);
    }
    request.response().putHeader(HttpHeaders.CONNECTION, "close");
    error.send(request.response(), Map.of()).onComplete(v -> request.connection().close());
  }
}
