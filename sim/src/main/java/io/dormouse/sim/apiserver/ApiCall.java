package io.dormouse.sim.apiserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request to the embedded API server, as read off the wire.
 *
 * @param uri the path with its query, as sent
 * @param accept the Accept header, or null
 * @param contentType the Content-Type header, or null
 * @param body the request body; empty when there is none
 */
record ApiCall(String method, String uri, String accept, String contentType, byte[] body) {

  /** The path without the query. */
  String path() {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /** The query parameters, decoded; the first value of each. */
  Map<String, String> query() {
    Map<String, String> out = new LinkedHashMap<>();
    int q = uri.indexOf('?');
    if (q < 0) {
      return out;
    }
    for (String pair : uri.substring(q + 1).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(key, value);
    }
    return out;
  }

  /** The uri with {@code param} left out of its query. */
  String uriWithout(String param) {
    int q = uri.indexOf('?');
    if (q < 0) {
      return uri;
    }
    StringBuilder kept = new StringBuilder();
    for (String pair : uri.substring(q + 1).split("&")) {
      String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
      if (pair.isEmpty() || URLDecoder.decode(key, StandardCharsets.UTF_8).equals(param)) {
        continue;
      }
      kept.append(kept.length() == 0 ? "" : "&").append(pair);
    }
    return kept.length() == 0 ? path() : path() + "?" + kept;
  }

  boolean wantsTable() {
    return accept != null && accept.contains("as=Table");
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
