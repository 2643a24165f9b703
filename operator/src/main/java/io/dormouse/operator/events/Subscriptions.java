package io.dormouse.operator.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Webhooks as last reconciled, shared by the emitter (fan-out), the dispatcher (where and how
 * to sign) and the Webhook reconciler (which writes them).
 */
public final class Subscriptions {

  private final Map<String, Subscription> byKey = new ConcurrentHashMap<>();

  public void put(Subscription s) {
    byKey.put(s.key(), s);
  }

  /** Keeps only the Webhooks that still exist. */
  public void retain(Set<String> keys) {
    byKey.keySet().retainAll(keys);
  }

  public Optional<Subscription> get(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  public List<Subscription> all() {
    return List.copyOf(byKey.values());
  }
}
