package io.dormouse.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ApiKeysTest {

  private static final String GOOD = ApiKeys.mint().secret();

  @Test
  void aMintedKeyParsesToItsPublicId() {
    ApiKey key = ApiKeys.mint();
    assertThat(key.secret()).startsWith("dm-").hasSize(ApiKeys.LENGTH);
    assertThat(ApiKeys.parse(key.secret())).hasValue(key.keyId());
    assertThat(key.keyId()).isEqualTo(key.secret().substring(0, 11));
    assertThat(key.toString()).doesNotContain(key.secret());
  }

  @Test
  void keysCarryAtLeast128RandomBitsAndDoNotRepeat() {
    assertThat(ApiKeys.RANDOM_CHARS * Math.log(36) / Math.log(2)).isGreaterThanOrEqualTo(128);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      assertThat(seen.add(ApiKeys.mint().secret())).isTrue();
    }
  }

  @Test
  void theStoredFormIsTheLowercaseHexSha256() {
    ApiKey key = ApiKeys.mint();
    assertThat(key.sha256Hex())
        .matches("[0-9a-f]{64}")
        .isEqualTo(KeyDigest.sha256Hex(key.secret()));
  }

  static Stream<Arguments> malformed() {
    String flipped =
        GOOD.substring(0, 10) + (GOOD.charAt(10) == 'a' ? 'b' : 'a') + GOOD.substring(11);
    String badChecksum = GOOD.substring(0, GOOD.length() - 1) + (GOOD.endsWith("0") ? "1" : "0");
    return Stream.of(
        Arguments.of("null", null),
        Arguments.of("empty", ""),
        Arguments.of("prefix only", "dm-"),
        Arguments.of("OpenAI-style key", "sk-" + GOOD.substring(3)),
        Arguments.of("one char short", GOOD.substring(1)),
        Arguments.of("one char long", GOOD + "a"),
        Arguments.of("uppercase", GOOD.toUpperCase()),
        Arguments.of("a typo in the random part", flipped),
        Arguments.of("a typo in the checksum", badChecksum),
        Arguments.of("a space inside", GOOD.substring(0, 20) + " " + GOOD.substring(21)),
        Arguments.of("non-ascii", GOOD.substring(0, 20) + "é" + GOOD.substring(21)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedKeysAreRefusedWithoutLookup(String why, String text) {
    assertThat(ApiKeys.parse(text)).isEmpty();
  }
}
