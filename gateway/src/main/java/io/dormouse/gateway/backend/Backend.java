package io.dormouse.gateway.backend;

/** One engine address the gateway may send requests to. */
public record Backend(String host, int port, String tier) {

  /** Identity of the replica, independent of the tier it is listed under. */
  public String id() {
    return host + ":" + port;
  }
}
