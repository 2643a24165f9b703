package io.dormouse.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Standard Webhooks specification's published test vector (standard-webhooks/spec, "Signature
 * scheme"): secret, id, timestamp and payload below sign to exactly this value.
 */
class WebhookSignatureTest {

  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final long TIMESTAMP = 1614265330L;
  static final byte[] PAYLOAD = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  static final Instant AT = Instant.ofEpochSecond(TIMESTAMP);

  @Test
  void signsTheSpecificationsVector() throws Exception {
    assertThat(WebhookSignature.sign(WebhookSignature.key(SECRET), ID, TIMESTAMP, PAYLOAD))
        .isEqualTo(EXPECTED);
  }

  @Test
  void acceptsTheVectorAmongSeveralSignatures() {
    assertThatCode(
            () ->
                WebhookSignature.verify(
                    List.of(SECRET),
                    ID,
                    String.valueOf(TIMESTAMP),
                    "v1,bm90IHRoaXMgb25l " + EXPECTED,
                    PAYLOAD,
                    AT.plusSeconds(299),
                    WebhookSignature.DEFAULT_TOLERANCE))
        .doesNotThrowAnyException();
  }

  @Test
  void acceptsWithTheSecondOfTwoSecretsDuringARotation() {
    assertThatCode(
            () ->
                WebhookSignature.verify(
                    List.of("whsec_" + "A".repeat(32), SECRET),
                    ID,
                    String.valueOf(TIMESTAMP),
                    EXPECTED,
                    PAYLOAD,
                    AT,
                    WebhookSignature.DEFAULT_TOLERANCE))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesAChangedBodyIdOrTimestamp() {
    assertThatThrownBy(() -> verify(ID, TIMESTAMP, "{\"test\": 2432232315}".getBytes(), AT))
        .hasMessageContaining("no signature matches");
    assertThatThrownBy(() -> verify("msg_other", TIMESTAMP, PAYLOAD, AT))
        .hasMessageContaining("no signature matches");
    assertThatThrownBy(() -> verify(ID, TIMESTAMP + 1, PAYLOAD, AT))
        .hasMessageContaining("no signature matches");
  }

  @Test
  void refusesATimestampOutsideFiveMinutesEitherWay() {
    assertThatThrownBy(() -> verify(ID, TIMESTAMP, PAYLOAD, AT.plusSeconds(301)))
        .hasMessageContaining("tolerance");
    assertThatThrownBy(() -> verify(ID, TIMESTAMP, PAYLOAD, AT.minusSeconds(301)))
        .hasMessageContaining("tolerance");
  }

  @Test
  void refusesMalformedSecretsWithoutRepeatingThem() {
    assertThatThrownBy(() -> WebhookSignature.key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        .hasMessageNotContaining("MfKQ");
    assertThatThrownBy(() -> WebhookSignature.key("whsec_!!!notbase64!!!"))
        .hasMessageNotContaining("notbase64");
    assertThatThrownBy(() -> WebhookSignature.key("whsec_c2hvcnQ="))
        .hasMessageContaining("16 bytes");
  }

  @Test
  void theCelListNamesEveryTypeInOrder() {
    assertThat(EventType.CEL_LIST)
        .isEqualTo(
            EventType.all().stream()
                .map(t -> "'" + t + "'")
                .collect(java.util.stream.Collectors.joining(", ", "[", "]")));
  }

  private static void verify(String id, long timestamp, byte[] body, Instant now)
      throws WebhookSignature.Invalid {
    WebhookSignature.verify(
        List.of(SECRET), id, String.valueOf(timestamp), EXPECTED, body, now, Duration.ofMinutes(5));
  }
}
