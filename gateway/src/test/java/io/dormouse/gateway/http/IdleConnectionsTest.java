package io.dormouse.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.testing.GatewayWorld;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connections without a request in progress are closed after a while; waiting ones are not. */
class IdleConnectionsTest {

  static GatewayWorld world;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    world = GatewayWorld.start(s -> s.connectionIdleTimeout(Duration.ofSeconds(1)));
    key = world.key("alpha");
    world.endpoint(
        "sleeper", Phase.Hibernated, ie -> ie.getSpec().getScaling().setWakeTimeout("3s"));
    world.awaitModel(key, "sleeper", Phase.Hibernated);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  /** Everything the gateway sends until it closes the connection (or 30 s pass). */
  private static String readToClose(Socket socket) throws Exception {
    socket.setSoTimeout(30_000);
    InputStream in = socket.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
  }

  @Test
  void aClientThatNeverFinishesItsRequestHeadIsDisconnected() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", world.gateway.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readToClose(socket)).isEmpty(); // closed, not left hanging
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterItsAnswer() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", world.gateway.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /v1/models HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + key + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readToClose(socket)).startsWith("HTTP/1.1 200 OK").contains("sleeper");
    }
  }

  @Test
  void aRequestWaitingForAWakeLongerThanTheIdleLimitKeepsItsConnection() throws Exception {
    byte[] body = GatewayWorld.chat("sleeper", false).getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", world.gateway.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n"
                  + "Content-Type: application/json\r\nAuthorization: Bearer "
                  + key
                  + "\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      assertThat(readToClose(socket)).startsWith("HTTP/1.1 504").contains("wake_timeout");
    }
  }
}
