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
    return response.end(body().encode());
  }
}
