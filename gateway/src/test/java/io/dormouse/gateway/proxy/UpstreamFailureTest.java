package io.dormouse.gateway.proxy;

import static io.dormouse.gateway.proxy.UpstreamFailure.Stage.AWAITING_RESPONSE;
import static io.dormouse.gateway.proxy.UpstreamFailure.Stage.CONNECTING;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UpstreamFailureTest {

  static Stream<Arguments> failures() {
    return Stream.of(
        // nothing was sent while connecting: always safe to send elsewhere
        Arguments.of(CONNECTING, new ConnectException("Connection refused"), true),
        Arguments.of(CONNECTING, new ConnectTimeoutException("connection timed out"), true),
        Arguments.of(CONNECTING, new VertxException("no route"), true),
        // the engine went away without answering
        Arguments.of(AWAITING_RESPONSE, new HttpClosedException("Connection was closed"), true),
        Arguments.of(AWAITING_RESPONSE, new IOException("Connection reset by peer"), true),
        // the engine may still be working on it: not sent twice
        Arguments.of(
            AWAITING_RESPONSE,
            new NoStackTraceTimeoutException("The timeout period of 600000ms has been exceeded"),
            false),
        Arguments.of(AWAITING_RESPONSE, new IllegalStateException("boom"), false),
        Arguments.of(AWAITING_RESPONSE, new IOException("Broken pipe"), false));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("failures")
  void onlyARequestTheEngineCannotHaveAnsweredGoesElsewhere(
      UpstreamFailure.Stage stage, Throwable cause, boolean retryable) {
    assertThat(UpstreamFailure.retryable(stage, cause)).isEqualTo(retryable);
  }
}
