package io.dormouse.api.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): {@code webhook-signature} is a
 * space-separated list of {@code v1,<base64 HMAC-SHA256(key, id.timestamp.body)>}, the key being
 * the base64 after {@code whsec_}. Receivers check it here with replay protection; the operator
 * signs with the Standard Webhooks library, and a test holds both to the specification's test
 * vector.
 */
public final class WebhookSignature {

  public static final String SECRET_PREFIX = "whsec_";
  public static final String HEADER_ID = "webhook-id";
  public static final String HEADER_TIMESTAMP = "webhook-timestamp";
  public static final String HEADER_SIGNATURE = "webhook-signature";

  /** How far a delivery's timestamp may be from the receiver's clock. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private WebhookSignature() {}

  /** Why a delivery was refused; the message never repeats a secret. */
  public static final class Invalid extends Exception {
    public Invalid(String message) {
      super(message);
    }
  }

  /** The key bytes of a {@code whsec_} secret; refused when it is not one. */
  public static byte[] key(String secret) throws Invalid {
    if (secret == null) {
      throw new Invalid("no secret");
    }
    String s = secret.strip();
    if (!s.startsWith(SECRET_PREFIX)) {
      throw new Invalid("a signing secret starts with " + SECRET_PREFIX);
    }
    try {
      byte[] key = Base64.getDecoder().decode(s.substring(SECRET_PREFIX.length()));
      if (key.length < 16) {
        throw new Invalid("a signing secret holds at least 16 bytes (24 base64 characters)");
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw new Invalid("a signing secret is whsec_ followed by base64");
    }
  }

  /** {@code v1,<signature>} of one message under one key. */
  public static String sign(byte[] key, String id, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /**
   * Checks a delivery: the timestamp within {@code tolerance} of {@code now}, and one of the
   * header's {@code v1} signatures made with one of {@code secrets} (compared in constant time).
   * Seen ids are the caller's to track: a replay inside the window has a valid signature.
   */
  public static void verify(
      List<String> secrets,
      String id,
      String timestamp,
      String signatureHeader,
      byte[] body,
      Instant now,
      Duration tolerance)
      throws Invalid {
    if (id == null || id.isBlank() || timestamp == null || signatureHeader == null) {
      throw new Invalid(
          "missing " + HEADER_ID + ", " + HEADER_TIMESTAMP + " or " + HEADER_SIGNATURE);
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      throw new Invalid(HEADER_TIMESTAMP + " is not a number of seconds");
    }
    long skew = Math.abs(now.getEpochSecond() - seconds);
    if (skew > tolerance.toSeconds()) {
      throw new Invalid(
          HEADER_TIMESTAMP
              + " is "
              + skew
              + " s away from now, beyond the "
              + tolerance.toSeconds()
              + " s tolerance (a replay, or a clock off)");
    }
    if (secrets.isEmpty()) {
      throw new Invalid("no secret");
    }
    for (String secret : secrets) {
      byte[] expected =
          sign(key(secret), id, seconds, body).substring(3).getBytes(StandardCharsets.US_ASCII);
      for (String candidate : signatureHeader.strip().split("\\s+")) {
        int comma = candidate.indexOf(',');
        if (comma > 0
            && "v1".equals(candidate.substring(0, comma))
            && MessageDigest.isEqual(
                expected, candidate.substring(comma + 1).getBytes(StandardCharsets.US_ASCII))) {
          return;
        }
      }
    }
    throw new Invalid("no signature matches the secret");
  }
}
