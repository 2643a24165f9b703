package io.dormouse.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.api.v1alpha1.Phase;
import io.dormouse.gateway.auth.ApiKeys;
import io.dormouse.gateway.testing.GatewayWorld;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever a client sends, it gets an OpenAI-shaped 4xx and the gateway keeps serving. */
class MalformedRequestsTest {

  static GatewayWorld world;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    world = GatewayWorld.start(s -> s.maxBodyBytes(64 * 1024).bodyTimeout(Duration.ofSeconds(1)));
    key = world.key("alpha");
    world.endpoint("llama", Phase.Ready, ie -> {});
    world.endpoint("private", Phase.Ready, ie -> {}, "beta");
    world.ready("llama");
    world.awaitModel(key, "llama", Phase.Ready);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  /** One raw request: head lines (without the request line's CRLF CRLF) and body parts. */
  record Raw(String head, byte[] body, boolean stall) {}

  static Raw post(String headers, String body) {
    return new Raw(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n"
            + headers
            + "Content-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\n",
        body.getBytes(StandardCharsets.UTF_8),
        false);
  }

  static Raw json(String body) {
    return post("Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\n", body);
  }

  static final String OK =
      "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  static Stream<Arguments> cases() {
    String auth = "Authorization: Bearer " + key + "\r\n";
    String ct = "Content-Type: application/json\r\n";
    String wellFormedUnknown = ApiKeys.mint().secret();
    String badChecksum = key.substring(0, key.length() - 1) + (key.endsWith("a") ? "b" : "a");
    byte[] invalidUtf8 =
        "{\"model\":\"llama\",\"messages\":[{\"content\":\"\u0000\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    invalidUtf8[invalidUtf8.length - 6] = (byte) 0xC3; // a lone lead byte inside a string
    List<Arguments> list = new ArrayList<>();
    list.add(Arguments.of("no Authorization", post(ct, OK), 401));
    list.add(
        Arguments.of("Basic auth", post("Authorization: Basic dXNlcjpwYXNz\r\n" + ct, OK), 401));
    list.add(Arguments.of("empty bearer", post("Authorization: Bearer \r\n" + ct, OK), 401));
    list.add(
        Arguments.of(
            "OpenAI-style key", post("Authorization: Bearer sk-abc123\r\n" + ct, OK), 401));
    list.add(
        Arguments.of(
            "key with bad checksum",
            post("Authorization: Bearer " + badChecksum + "\r\n" + ct, OK),
            401));
    list.add(
        Arguments.of(
            "well-formed unknown key",
            post("Authorization: Bearer " + wellFormedUnknown + "\r\n" + ct, OK),
            401));
    list.add(Arguments.of("two Authorization headers", post(auth + auth + ct, OK), 401));
    list.add(
        Arguments.of(
            "key with trailing junk",
            post("Authorization: Bearer " + key + "x\r\n" + ct, OK),
            401));
    list.add(Arguments.of("no Content-Type", post(auth, OK), 415));
    list.add(Arguments.of("text/plain", post(auth + "Content-Type: text/plain\r\n", OK), 415));
    list.add(
        Arguments.of(
            "form encoded",
            post(auth + "Content-Type: application/x-www-form-urlencoded\r\n", "model=llama"),
            415));
    list.add(Arguments.of("empty body", json(""), 400));
    list.add(Arguments.of("truncated JSON", json("{\"model\":\"llama\""), 400));
    list.add(Arguments.of("JSON array", json("[1,2]"), 400));
    list.add(Arguments.of("JSON string", json("\"llama\""), 400));
    list.add(Arguments.of("not JSON", json("model=llama"), 400));
    list.add(Arguments.of("missing model", json("{\"messages\":[]}"), 400));
    list.add(Arguments.of("model is a number", json("{\"model\":7}"), 400));
    list.add(Arguments.of("model is null", json("{\"model\":null}"), 400));
    list.add(
        Arguments.of("stream is a string", json("{\"model\":\"llama\",\"stream\":\"yes\"}"), 400));
    list.add(
        Arguments.of(
            "max_tokens is a string", json("{\"model\":\"llama\",\"max_tokens\":\"9\"}"), 400));
    list.add(
        Arguments.of("max_tokens negative", json("{\"model\":\"llama\",\"max_tokens\":-5}"), 400));
    list.add(
        Arguments.of("max_tokens huge", json("{\"model\":\"llama\",\"max_tokens\":1e400}"), 400));
    list.add(
        Arguments.of(
            "messages is a string", json("{\"model\":\"llama\",\"messages\":\"hi\"}"), 400));
    list.add(Arguments.of("prompt is a number", json("{\"model\":\"llama\",\"prompt\":5}"), 400));
    list.add(
        Arguments.of(
            "stream_options not an object",
            json("{\"model\":\"llama\",\"stream_options\":[]}"),
            400));
    list.add(Arguments.of("trailing garbage", json(OK + "xyz"), 400));
    list.add(
        Arguments.of(
            "deep nesting",
            json("{\"model\":\"llama\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}"),
            400));
    list.add(
        Arguments.of(
            "invalid UTF-8",
            new Raw(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n"
                    + auth
                    + ct
                    + "Content-Length: "
                    + invalidUtf8.length
                    + "\r\n",
                invalidUtf8,
                false),
            400));
    list.add(Arguments.of("unknown model", json("{\"model\":\"gpt-4\"}"), 404));
    list.add(Arguments.of("model of another project", json("{\"model\":\"private\"}"), 404));
    list.add(
        Arguments.of(
            "declared body beyond the cap",
            new Raw(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n"
                    + auth
                    + ct
                    + "Content-Length: 20000000\r\n",
                new byte[0],
                false),
            413));
    String big = "{\"model\":\"llama\",\"prompt\":\"" + "a".repeat(100 * 1024) + "\"}";
    list.add(
        Arguments.of(
            "chunked body beyond the cap",
            new Raw(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n"
                    + auth
                    + ct
                    + "Transfer-Encoding: chunked\r\n",
                chunked(big),
                false),
            413));
    list.add(
        Arguments.of(
            "slow sender stalls mid-body",
            new Raw(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n"
                    + auth
                    + ct
                    + "Content-Length: 200\r\n",
                "{\"model\":\"ll".getBytes(StandardCharsets.UTF_8),
                true),
            408));
    list.add(
        Arguments.of(
            "GET on chat",
            new Raw(
                "GET /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n" + auth,
                new byte[0],
                false),
            405));
    list.add(
        Arguments.of(
            "POST on models",
            new Raw(
                "POST /v1/models HTTP/1.1\r\nHost: gw\r\nConnection: close\r\nContent-Length: 0\r\n"
                    + auth,
                new byte[0],
                false),
            405));
    list.add(
        Arguments.of(
            "unknown path",
            new Raw(
                "GET /v2/everything HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n",
                new byte[0],
                false),
            404));
    list.add(
        Arguments.of(
            "non-numeric Content-Length",
            new Raw(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n"
                    + auth
                    + ct
                    + "Content-Length: abc\r\n",
                new byte[0],
                false),
            400));
    list.add(
        Arguments.of(
            "headers too large",
            new Raw(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nConnection: close\r\nX-Junk: "
                    + "j".repeat(20000)
                    + "\r\n",
                new byte[0],
                false),
            431));
    list.add(
        Arguments.of(
            "request line too long",
            new Raw(
                "GET /" + "u".repeat(10000) + " HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n",
                new byte[0],
                false),
            414));
    list.add(
        Arguments.of("garbage request line", new Raw("HELLO THERE\r\n", new byte[0], false), 400));
    return list.stream();
  }

  static byte[] chunked(String body) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < body.length(); i += 8192) {
      String part = body.substring(i, Math.min(body.length(), i + 8192));
      out.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
    }
    return out.append("0\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Status and body of the answer to a raw request; the connection is read until it closes. */
  static Object[] exchange(Raw raw) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", world.gateway.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write((raw.head() + "\r\n").getBytes(StandardCharsets.UTF_8));
      try {
        out.write(raw.body());
        out.flush();
      } catch (java.io.IOException e) {
        // the gateway may refuse and close before the whole body is sent
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          got.write(buf, 0, n);
        }
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // keep what arrived
      }
      String text = got.toString(StandardCharsets.UTF_8);
      int status = Integer.parseInt(text.substring(9, 12));
      String headers = text.substring(0, text.indexOf("\r\n\r\n"));
      String body = text.substring(text.indexOf("\r\n\r\n") + 4);
      if (headers.toLowerCase().contains("transfer-encoding: chunked")) {
        body = dechunk(body);
      }
      return new Object[] {status, body};
    }
  }

  static String dechunk(String body) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = body.indexOf("\r\n", at);
      int size = Integer.parseInt(body.substring(at, eol).trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(body, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }

  @ParameterizedTest(name = "{0} → {2}")
  @MethodSource("cases")
  void isRefusedWithAnOpenAiShaped4xx(String why, Raw raw, int expected) throws Exception {
    Object[] answer = exchange(raw);
    int status = (int) answer[0];
    assertThat(status).as(why).isEqualTo(expected).isBetween(400, 499);
    JsonObject error = new JsonObject((String) answer[1]).getJsonObject("error");
    assertThat(error).isNotNull();
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("type")).isNotBlank();
    assertThat(error.fieldNames()).contains("message", "type", "param", "code");
  }

  @Test
  void aClientExpecting100ContinueIsInvitedOnlyOnceAuthenticated() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", world.gateway.port())) {
      socket.setSoTimeout(30_000);
      byte[] body = OK.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n"
                  + "Authorization: Bearer "
                  + key
                  + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[25];
      int n = in.readNBytes(buf, 0, 25);
      assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII))
          .startsWith("HTTP/1.1 100 Continue");
      out.write(body);
      out.flush();
      String rest = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(rest).contains("HTTP/1.1 200 OK");
    }
  }

  @Test
  void theGatewayKeepsServingAfterTheWholeTable() throws Exception {
    cases()
        .forEach(
            c -> {
              try {
                exchange((Raw) c.get()[1]);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    var response = world.post("/v1/chat/completions", key, OK);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(world.metric("dormouse_gateway_requests_total", "code=200")).isPositive();
    assertThat(world.samples("dormouse_gateway_requests_total", "code=500")).isEmpty();
  }
}
