package io.dormouse.gateway.peers;

import io.dormouse.gateway.cluster.PeerCodec;
import io.dormouse.gateway.cluster.PeerState;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /peer/v1/state} on the management port: a peer's message is taken only with the
 * shared secret (compared in constant time), only up to {@link PeerCodec#MAX_BYTES}, and only when
 * it decodes whole; anything else is refused (405, 401, 413, 400) and changes nothing.
 */
final class PeerInbox implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(PeerInbox.class);

  private final byte[] secret;
  private final Consumer<PeerState> received;

  /**
   * @param secret the shared secret; null refuses every message
   */
  PeerInbox(byte[] secret, Consumer<PeerState> received) {
    this.secret = secret;
    this.received = received;
  }

  @Override
  public void handle(HttpServerRequest request) {
    var out = request.response();
    if (request.method() != HttpMethod.POST) {
      out.setStatusCode(405).putHeader("Allow", "POST").end();
      return;
    }
    if (!authorized(request.getHeader(HttpHeaders.AUTHORIZATION))) {
      // Connection: close, so that no client reuses a connection this side is closing.
      out.setStatusCode(401)
          .putHeader("Connection", "close")
          .end("the peer secret is missing or wrong\n");
      request.connection().close();
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] tooLarge = {false};
    request.handler(
        chunk -> {
          if (body.length() + chunk.length() > PeerCodec.MAX_BYTES) {
            tooLarge[0] = true;
          } else if (!tooLarge[0]) {
            body.appendBuffer(chunk);
          }
        });
    request.exceptionHandler(e -> {});
    request.endHandler(
        v -> {
          if (tooLarge[0]) {
            out.setStatusCode(413).end("message too large\n");
            return;
          }
          try {
            PeerState state = PeerCodec.decode(body.getBytes());
            received.accept(state);
            out.setStatusCode(204).end();
          } catch (PeerCodec.Malformed e) {
            LOG.debug("peer message refused: {}", e.getMessage());
            out.setStatusCode(400).end(e.getMessage() + "\n");
          }
        });
  }

  private boolean authorized(String header) {
    if (secret == null || header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] presented = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(presented, secret);
  }
}
