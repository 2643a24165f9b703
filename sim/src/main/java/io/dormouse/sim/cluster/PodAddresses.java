package io.dormouse.sim.cluster;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands each pod an address of its own on the loopback network (all of 127.0.0.0/8 is loopback on
 * Linux), never the same twice in one run. The second octet is random per cluster so that two
 * simulated clusters on one machine rarely meet.
 */
final class PodAddresses {

  private final int network = ThreadLocalRandom.current().nextInt(16, 250);
  private final AtomicInteger next = new AtomicInteger();

  String next() {
    int n = next.getAndIncrement();
    return "127." + network + "." + (n / 250 % 250 + 1) + "." + (n % 250 + 1);
  }
}
