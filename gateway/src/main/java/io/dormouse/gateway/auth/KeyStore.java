package io.dormouse.gateway.auth;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys the gateway accepts, fed by the watch on key Secrets. Safe to read from any thread. Keys
 * are found by their public id, then their digests compared in constant time, so lookup time
 * reveals nothing about the secret.
 */
public final class KeyStore {

  private final Map<String, StoredKey> bySource = new ConcurrentHashMap<>();
  private final Map<String, Map<String, StoredKey>> byKeyId = new ConcurrentHashMap<>();

  /** Adds or replaces the key a Secret holds. */
  public synchronized void put(StoredKey key) {
    remove(key.source());
    bySource.put(key.source(), key);
    byKeyId.computeIfAbsent(key.keyId(), id -> new ConcurrentHashMap<>()).put(key.source(), key);
  }

  /** Forgets the key of a deleted Secret: revocation. */
  public synchronized void remove(String source) {
    StoredKey old = bySource.remove(source);
    if (old != null) {
      Map<String, StoredKey> same = byKeyId.get(old.keyId());
      if (same != null) {
        same.remove(source);
        if (same.isEmpty()) {
          byKeyId.remove(old.keyId());
        }
      }
    }
  }

  public int size() {
    return bySource.size();
  }

  /** The caller of a presented bearer token, when it is a well-formed key we hold. */
  public Optional<Principal> authenticate(String presented) {
    Optional<String> keyId = ApiKeys.parse(presented);
    if (keyId.isEmpty()) {
      return Optional.empty();
    }
    Map<String, StoredKey> candidates = byKeyId.get(keyId.get());
    if (candidates == null) {
      return Optional.empty();
    }
    byte[] digest = KeyDigest.sha256(presented);
    for (StoredKey key : candidates.values()) {
      if (KeyDigest.sameDigest(digest, key.digest())) {
        return Optional.of(new Principal(key.project(), key.keyId()));
      }
    }
    return Optional.empty();
  }
}
