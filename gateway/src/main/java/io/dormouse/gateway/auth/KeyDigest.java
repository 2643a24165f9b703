package io.dormouse.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of keys, and a comparison of digests whose time does not depend on where they differ. */
public final class KeyDigest {

  private KeyDigest() {}

  public static String sha256Hex(String secret) {
    return HexFormat.of().formatHex(sha256(secret));
  }

  // getInstance looks the algorithm up among the providers on every call; a digest resets itself
  // after digest(), so one per thread serves every request on it.
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every JVM has SHA-256", e);
            }
          });

  static byte[] sha256(String secret) {
    return SHA_256.get().digest(secret.getBytes(StandardCharsets.UTF_8));
  }

  /** Constant-time equality of two digests. */
  static boolean sameDigest(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
