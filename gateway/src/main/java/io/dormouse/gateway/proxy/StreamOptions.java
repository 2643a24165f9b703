package io.dormouse.gateway.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** Asks the engine for a usage chunk at the end of a stream. */
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
}
