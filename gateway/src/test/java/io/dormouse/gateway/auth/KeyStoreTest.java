package io.dormouse.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyStoreTest {

  private final KeyStore store = new KeyStore();

  @Test
  void aStoredKeyAuthenticatesAsItsProject() {
    ApiKey key = ApiKeys.mint();
    store.put(StoredKey.of("ns/k1", key.keyId(), "alpha", key.sha256Hex()));
    assertThat(store.authenticate(key.secret())).contains(new Principal("alpha", key.keyId()));
  }

  @Test
  void deletingTheSecretRevokesTheKey() {
    ApiKey key = ApiKeys.mint();
    store.put(StoredKey.of("ns/k1", key.keyId(), "alpha", key.sha256Hex()));
    store.remove("ns/k1");
    assertThat(store.authenticate(key.secret())).isEmpty();
    assertThat(store.size()).isZero();
  }

  @Test
  void aSecretWhoseHashChangedNoLongerAcceptsTheOldKey() {
    ApiKey old = ApiKeys.mint();
    ApiKey replacement = ApiKeys.mint();
    store.put(StoredKey.of("ns/k1", old.keyId(), "alpha", old.sha256Hex()));
    store.put(StoredKey.of("ns/k1", replacement.keyId(), "alpha", replacement.sha256Hex()));
    assertThat(store.authenticate(old.secret())).isEmpty();
    assertThat(store.authenticate(replacement.secret())).isPresent();
  }

  @Test
  void aWellFormedKeyWithTheRightIdButAnotherHashIsRefused() {
    ApiKey key = ApiKeys.mint();
    ApiKey other = ApiKeys.mint();
    store.put(StoredKey.of("ns/k1", key.keyId(), "alpha", other.sha256Hex()));
    assertThat(store.authenticate(key.secret())).isEmpty();
  }

  @Test
  void secretsWithoutAUsableHashAreNotKeys() {
    assertThat(StoredKey.of("ns/k", "dm-abcdefgh", "alpha", "not-hex")).isNull();
    assertThat(StoredKey.of("ns/k", "dm-abcdefgh", "alpha", "ab".repeat(31))).isNull();
    assertThat(StoredKey.of("ns/k", "dm-abcdefgh", null, "ab".repeat(32))).isNull();
    assertThat(StoredKey.of("ns/k", null, "alpha", "ab".repeat(32))).isNull();
    assertThat(StoredKey.of("ns/k", "dm-abcdefgh", "alpha", "AB".repeat(32))).isNotNull();
  }
}
