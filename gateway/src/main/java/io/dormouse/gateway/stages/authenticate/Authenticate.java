package io.dormouse.gateway.stages.authenticate;

import io.dormouse.gateway.auth.KeyStore;
import io.dormouse.gateway.auth.Principal;
import io.dormouse.gateway.stages.Exchange;
import io.dormouse.gateway.stages.OpenAiError;
import io.dormouse.gateway.stages.Refusal;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stage one: the bearer key names a project, or the request is refused with 401. */
public final class Authenticate implements Handler<RoutingContext> {

  private final KeyStore keys;

  public Authenticate(KeyStore keys) {
    this.keys = keys;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Exchange x = Exchange.of(ctx);
    List<String> values = ctx.request().headers().getAll(HttpHeaders.AUTHORIZATION);
    String message;
    if (values.isEmpty()) {
      message = "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.";
    } else if (values.size() > 1) {
      message = "Send exactly one Authorization header.";
    } else {
      String value = values.get(0).strip();
      if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
        Optional<Principal> p = keys.authenticate(value.substring(7).strip());
        if (p.isPresent()) {
          x.principal = p.get();
          ctx.next();
          return;
        }
      }
      message = "Incorrect API key provided.";
    }
    ctx.fail(
        new Refusal(
            new OpenAiError(401, "invalid_request_error", "invalid_api_key", message, null),
            Map.of("WWW-Authenticate", "Bearer"),
            false));
  }
}
