package io.dormouse.gateway.auth;

/**
 * A freshly minted key: the secret shown once, and its public id (safe to log).
 *
 * @param secret the whole key a client sends as {@code Authorization: Bearer <secret>}
 * @param keyId the key's public prefix, stored on its Secret as {@code dormouse.io/key-id}
 */
public record ApiKey(String secret, String keyId) {

  /** SHA-256 of the secret in lowercase hex: the only form ever stored. */
  public String sha256Hex() {
    return KeyDigest.sha256Hex(secret);
  }

  @Override
  public String toString() {
    return "ApiKey[" + keyId + "]";
  }
}
