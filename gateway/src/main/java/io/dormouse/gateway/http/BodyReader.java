package io.dormouse.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a cap and within a time: a larger body is refused with 413 as soon as
 * it crosses the cap, a sender that stalls with 408. Only request bodies are held whole; they are
 * small and capped.
 */
final class BodyReader {

  /** Why a body could not be read; carries the error to answer with. */
  static final class Refused extends RuntimeException {
    final OpenAiError error;

    Refused(OpenAiError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }
  }

  private BodyReader() {}

  static Future<Buffer> read(
      Vertx vertx, HttpServerRequest request, long maxBytes, long timeoutMillis) {
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    long timer =
        vertx.setTimer(
            timeoutMillis,
            id ->
                promise.tryFail(
                    new Refused(
                        OpenAiError.invalidRequest(
                            408,
                            "request_timeout",
                            "The request body was not received in time.",
                            null))));
    request.handler(
        chunk -> {
          if (body.length() + chunk.length() > maxBytes) {
            vertx.cancelTimer(timer);
            promise.tryFail(
                new Refused(
                    OpenAiError.invalidRequest(
                        413,
                        "request_too_large",
                        "The request body is larger than " + maxBytes + " bytes.",
                        null)));
          } else if (!promise.future().isComplete()) {
            body.appendBuffer(chunk);
          }
        });
    request.exceptionHandler(
        e -> {
          vertx.cancelTimer(timer);
          promise.tryFail(
              new Refused(
                  OpenAiError.invalidRequest(
                      400, "invalid_request", "The request was cut off.", null)));
        });
    request.endHandler(
        v -> {
          vertx.cancelTimer(timer);
          promise.tryComplete(body);
        });
    return promise.future();
  }
}
