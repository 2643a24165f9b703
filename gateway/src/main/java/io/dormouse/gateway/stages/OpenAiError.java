package io.dormouse.gateway.stages;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Every non-2xx answer of the gateway, in OpenAI's shape {@code {"error":{...}}}. */
public record OpenAiError(int status, String type, String code, String message, String param) {

  public static OpenAiError invalidRequest(int status, String code, String message, String param) {
    return new OpenAiError(status, "invalid_request_error", code, message, param);
  }

  /**
   * This refusal's one retry story, the same on every path that sends it. Waiting longer cannot
   * help a wake that timed out or an endpoint that failed, so SDKs are told not to retry ({@code
   * x-should-retry: false}, no {@code Retry-After}); a full queue or a replica shutting down clears
   * within seconds. A 429 computes its own wait from the bucket.
   */
  public Map<String, String> retryHeaders() {
    return switch (code == null ? "" : code) {
      case "shutting_down" -> Map.of("Retry-After", "1");
      case "queue_full" -> Map.of("Retry-After", "2");
      case "wake_timeout", "queue_timeout", "endpoint_failed" -> Map.of("x-should-retry", "false");
      default -> Map.of();
    };
  }

  public JsonObject body() {
    JsonObject error =
        new JsonObject().put("message", message).put("type", type).put("param", param);
    error.put("code", code);
    return new JsonObject().put("error", error);
  }

  /** Ends the response with this error unless the client is already gone. */
  public Future<Void> send(HttpServerResponse response, Map<String, String> headers) {
    if (response.ended() || response.closed() || response.headWritten()) {
      return Future.succeededFuture();
    }
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    headers.forEach(response::putHeader);
    retryHeaders().forEach(response::putHeader);
    return response.end(body().encode());
  }
}
