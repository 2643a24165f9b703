package io.dormouse.gateway.stages.route;

import io.dormouse.gateway.stages.IdleWatch;
import io.dormouse.gateway.stages.OpenAiError;
import io.dormouse.gateway.stages.Refusal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * Reads a request body up to a cap: a larger body is refused with 413 as soon as it crosses the
 * cap, a sender that stalls (seen by the connection-level {@link IdleWatch}, no timer per request)
 * with 408. Both close the connection after their answer. Only request bodies are held whole; they
 * are small and capped.
 */
final class BodyReader {

  private BodyReader() {}

  static Future<Buffer> read(HttpServerRequest request, long maxBytes, IdleWatch idle) {
    Promise<Buffer> promise = Promise.promise();
    var connection = request.connection();
    String length = request.getHeader("content-length");
    Buffer body = Buffer.buffer(length == null ? 1024 : (int) Math.min(maxBytes, parse(length)));
    idle.bodyStarted(
        connection,
        () ->
            promise.tryFail(
                new Refusal(
                    OpenAiError.invalidRequest(
                        408, "request_timeout", "The request body was not received in time.", null),
                    Map.of(),
                    true)));
    request.handler(
        chunk -> {
          if (promise.future().isComplete()) {
            return;
          }
          if (body.length() + chunk.length() > maxBytes) {
            idle.bodyEnded(connection);
            promise.tryFail(tooLarge(maxBytes));
          } else {
            idle.bodyProgress(connection);
            body.appendBuffer(chunk);
          }
        });
    request.exceptionHandler(
        e -> {
          idle.bodyEnded(connection);
          promise.tryFail(
              new Refusal(
                  OpenAiError.invalidRequest(
                      400, "invalid_request", "The request was cut off.", null),
                  Map.of(),
                  true));
        });
    request.endHandler(
        v -> {
          idle.bodyEnded(connection);
          promise.tryComplete(body);
        });
    return promise.future();
  }

  static Refusal tooLarge(long maxBytes) {
    return new Refusal(
        OpenAiError.invalidRequest(
            413,
            "request_too_large",
            "The request body is larger than " + maxBytes + " bytes.",
            null),
        Map.of(),
        true);
  }

  private static long parse(String length) {
    try {
      return Math.max(0, Long.parseLong(length.strip()));
    } catch (NumberFormatException e) {
      return 1024;
    }
  }
}
