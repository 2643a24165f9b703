package io.dormouse.gateway.auth;

import java.util.HexFormat;

/**
 * One key as its Secret describes it.
 *
 * @param source the Secret's namespace/name, to replace or forget the key when the Secret changes
 */
public record StoredKey(String source, String keyId, String project, byte[] digest) {

  /** Null when the hex digest is not 64 hex characters. */
  public static StoredKey of(String source, String keyId, String project, String sha256Hex) {
    if (sha256Hex == null || keyId == null || project == null || project.isBlank()) {
      return null;
    }
    String hex = sha256Hex.strip().toLowerCase(java.util.Locale.ROOT);
    if (hex.length() != 64) {
      return null;
    }
    try {
      return new StoredKey(source, keyId, project, HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
