package io.dormouse.gateway.routing;

/** An InferenceEndpoint by namespace and name. */
public record EndpointRef(String namespace, String name) {

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
