package io.dormouse.gateway.peers;

import io.dormouse.gateway.cluster.PeerCodec;
import io.dormouse.gateway.cluster.PeerState;
import io.dormouse.gateway.kube.FleetUpdates.GatewayPeer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts this replica's state to its peers' management ports, with the shared secret, over a small
 * keep-alive pool. A peer that cannot be reached within the timeout is skipped until the next
 * period: the exchange never waits for one.
 */
final class PeerOutbox implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PeerOutbox.class);
  static final String PATH = "/peer/v1/state";

  private final String self;
  private final String secret;
  private final Duration timeout;
  private final HttpClient client;

  PeerOutbox(Vertx vertx, String self, String secret, Duration timeout) {
    this.self = self;
    this.secret = secret;
    this.timeout = timeout;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) timeout.toMillis())
                .setIdleTimeout(30)
                .setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(2));
  }

  /** Sends {@code state} to every listed peer but this replica. */
  void send(PeerState state, Collection<GatewayPeer> peers) {
    Buffer body = Buffer.buffer(PeerCodec.encode(state));
    for (GatewayPeer p : peers) {
      if (p.name().equals(self) || p.managementPort() <= 0) {
        continue;
      }
      client
          .request(
              new RequestOptions()
                  .setMethod(HttpMethod.POST)
                  .setHost(p.host())
                  .setPort(p.managementPort())
                  .setURI(PATH)
                  .setTimeout(timeout.toMillis())
                  .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + secret)
                  .putHeader(HttpHeaders.CONTENT_TYPE, "application/json"))
          .compose(r -> r.send(body))
          .onFailure(e -> LOG.debug("peer {}: not reached: {}", p.name(), e.toString()))
          .onSuccess(r -> r.body());
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
