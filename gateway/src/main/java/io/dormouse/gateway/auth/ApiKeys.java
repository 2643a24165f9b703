package io.dormouse.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The key format: {@code dm-} + 32 random characters of [a-z0-9] (165 bits) + a 7-character CRC32
 * checksum. The checksum lets the gateway refuse typos and junk without any lookup; the public id
 * is the prefix plus the first 8 random characters.
 */
public final class ApiKeys {

  public static final String PREFIX = "dm-";
  static final int RANDOM_CHARS = 32;
  static final int CHECKSUM_CHARS = 7;
  static final int ID_CHARS = 8;
  public static final int LENGTH = PREFIX.length() + RANDOM_CHARS + CHECKSUM_CHARS;
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  /** A new random key. */
  public static ApiKey mint() {
    StringBuilder body = new StringBuilder(RANDOM_CHARS);
    for (int i = 0; i < RANDOM_CHARS; i++) {
      body.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    String head = PREFIX + body;
    String secret = head + checksum(head);
    return new ApiKey(secret, keyId(secret));
  }

  /** The key's public id when the text is a well-formed key with a valid checksum. */
  public static Optional<String> parse(String text) {
    if (text == null || text.length() != LENGTH || !text.startsWith(PREFIX)) {
      return Optional.empty();
    }
    for (int i = PREFIX.length(); i < LENGTH; i++) {
      if (ALPHABET.indexOf(text.charAt(i)) < 0) {
        return Optional.empty();
      }
    }
    String head = text.substring(0, LENGTH - CHECKSUM_CHARS);
    if (!checksum(head).equals(text.substring(LENGTH - CHECKSUM_CHARS))) {
      return Optional.empty();
    }
    return Optional.of(keyId(text));
  }

  static String keyId(String secret) {
    return secret.substring(0, PREFIX.length() + ID_CHARS);
  }

  private static String checksum(String head) {
    CRC32 crc = new CRC32();
    crc.update(head.getBytes(StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] out = new char[CHECKSUM_CHARS];
    for (int i = CHECKSUM_CHARS - 1; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) (value % ALPHABET.length()));
      value /= ALPHABET.length();
    }
    return new String(out);
  }
}
