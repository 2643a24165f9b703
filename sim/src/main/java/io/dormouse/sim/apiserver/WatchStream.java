package io.dormouse.sim.apiserver;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's watch, fed by the store's watch listener (which thinks it writes to a WebSocket) and
 * written to the client as the API server would: only the events the field selector keeps, none for
 * what the client already listed (objects at or below its resourceVersion), and each object as a
 * Table when the client asked for one ({@code kubectl get -w}). Over HTTP every event is one line
 * of a chunked response; over a WebSocket, one text frame.
 */
final class WatchStream implements WebSocket {

  /**
   * What the client asked for.
   *
   * @param sinceResourceVersion objects added at or below it are already known to the client
   * @param printer non-null when the client wants Tables
   */
  record Shape(FieldSelector selector, long sinceResourceVersion, Tables.Printer printer) {}

  /** Where the events go. */
  interface Sink {
    void send(String event);

    void close();
  }

  private final RecordedRequest request;
  private final Shape shape;
  private final Sink sink;
  private final AtomicBoolean headersSent = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  WatchStream(RecordedRequest request, Shape shape, Sink sink) {
    this.request = request;
    this.shape = shape;
    this.sink = sink;
  }

  @Override
  public RecordedRequest request() {
    return request;
  }

  @Override
  public boolean send(String text) {
    if (closed.get()) {
      return false;
    }
    Map<String, Object> event = Json.read(text);
    String type = String.valueOf(event.get("type"));
    @SuppressWarnings("unchecked")
    Map<String, Object> object = (Map<String, Object>) event.get("object");
    if (object == null || !shape.selector().matches(object)) {
      return true;
    }
    if (type.equals("ADDED") && resourceVersion(object) <= shape.sinceResourceVersion()) {
      return true;
    }
    Object shown = object;
    if (shape.printer() != null) {
      shown =
          Tables.of(shape.printer(), object, Instant.now(), headersSent.compareAndSet(false, true));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", type);
    out.put("object", shown);
    sink.send(Json.write(out));
    return true;
  }

  @Override
  public boolean send(byte[] bytes) {
    return send(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public boolean close(int code, String reason) {
    if (closed.compareAndSet(false, true)) {
      sink.close();
    }
    return true;
  }

  static long resourceVersion(Map<String, Object> object) {
    try {
      return Long.parseLong(String.valueOf(Json.at(object, "metadata.resourceVersion")));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
