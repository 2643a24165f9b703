package io.dormouse.gateway.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** What the gateway changes in a request body on its way to the engine. */
public final class StreamOptions {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StreamOptions() {}

  /** The body with {@code stream_options.include_usage = true}, other fields untouched. */
  public static byte[] withUsage(byte[] body) throws IOException {
    JsonNode root = JSON.readTree(body);
    if (!(root instanceof ObjectNode object)) {
      return body;
    }
    JsonNode options = object.get("stream_options");
    ObjectNode opts = options instanceof ObjectNode o ? o : object.putObject("stream_options");
    opts.put("include_usage", true);
    return JSON.writeValueAsBytes(object);
  }

  /**
   * The body naming the model as its engine serves it: a client may name an endpoint {@code
   * <namespace>/<servedName>}, which the engine does not know.
   */
  public static byte[] withModel(byte[] body, String servedName) throws IOException {
    JsonNode root = JSON.readTree(body);
    if (!(root instanceof ObjectNode object)) {
      return body;
    }
    object.put("model", servedName);
    return JSON.writeValueAsBytes(object);
  }
}
